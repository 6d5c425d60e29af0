import { dedupeKeyFor } from './dedupe-key.js';

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
