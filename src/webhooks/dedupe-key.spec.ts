import { callerHashFor, dedupeKeyFor } from './dedupe-key.js';

describe('dedupeKeyFor', () => {
  it('uses type and conversation id when there is one', () => {
    expect(dedupeKeyFor('post_call_transcription', 'conv_1', '{}')).toBe('post_call_transcription:conv_1');
    expect(dedupeKeyFor('post_call_audio', 'conv_1', '{"a":1}')).toBe('post_call_audio:conv_1');
  });

  it('hashes the body when there is none, so equal bodies share a key and different ones do not', () => {
    const a = dedupeKeyFor('something_new', undefined, '{"x":1}');
    expect(a).toMatch(/^something_new:sha256:[0-9a-f]{64}$/);
    expect(dedupeKeyFor('something_new', '', Buffer.from('{"x":1}'))).toBe(a);
    expect(dedupeKeyFor('something_new', undefined, '{"x":2}')).not.toBe(a);
  });
});

describe('callerHashFor', () => {
  const call = (data: Record<string, unknown>, key = 'post_call_transcription:conv_x') => callerHashFor('post_call_transcription', data, key);

  it('gives the calls of one person the same number, whichever conversation they are', () => {
    const first = call({ conversation_id: 'conv_1', user_id: 'person_7' }, 'post_call_transcription:conv_1');
    expect(call({ conversation_id: 'conv_2', user_id: 'person_7' }, 'post_call_transcription:conv_2')).toBe(first);
    expect(call({ conversation_initiation_client_data: { dynamic_variables: { user_id: 'person_7' } } })).toBe(first);
    expect(call({ user_id: 'person_8' })).not.toBe(first);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(2 ** 31);
  });

  it('falls back to the session, the caller number, then the delivery itself', () => {
    const bySession = call({ conversation_initiation_client_data: { dynamic_variables: { session_id: 's1' } } });
    expect(call({ conversation_initiation_client_data: { dynamic_variables: { session_id: 's1' } } }, 'post_call_transcription:other')).toBe(bySession);
    const byPhone = call({ metadata: { phone_call: { external_number: '+14155550100' } } });
    expect(call({ metadata: { phone_call: { external_number: '+14155550100' } } }, 'post_call_transcription:other')).toBe(byPhone);
    expect(call({}, 'post_call_transcription:a')).not.toBe(call({}, 'post_call_transcription:b'));
    expect(callerHashFor('something_new', { user_id: 'person_7' }, 'k1')).toBe(callerHashFor('something_new', { user_id: 'person_9' }, 'k1'));
  });
});
