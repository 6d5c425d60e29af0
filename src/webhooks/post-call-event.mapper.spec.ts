import { phoneNumbers, summaryFieldsOf, transcriptLines } from './post-call-event.mapper.js';

const base = {
  conversation_id: 'conv_1',
  agent_id: 'agent_1',
  transcript: [
    { role: 'agent', message: 'Hi Maria', time_in_call_secs: 0 },
    { role: 'user', message: 'Yes.', time_in_call_secs: 5 },
    { role: 'agent', message: null, time_in_call_secs: 7, tool_calls: [{ tool_name: 'x' }] },
  ],
  metadata: { start_time_unix_secs: 1767225800, call_duration_secs: 93, phone_call: { direction: 'outbound', agent_number: '+15550001111', external_number: '+15552223333' } },
  analysis: {
    call_successful: 'success',
    transcript_summary: 'Confirmed.',
    call_summary_title: 'Appointment confirmed',
    evaluation_criteria_results: { confirmed: { result: 'success' } },
    data_collection_results: { attending: { value: true }, action_items: { value: '["call back","send form"]' }, key_points: { value: 'one point' } },
  },
};

describe('post-call event mapper', () => {
  it('maps the analysis, duration and start time', () => {
    expect(summaryFieldsOf(base)).toMatchObject({
      conversationId: 'conv_1',
      agentId: 'agent_1',
      title: 'Appointment confirmed',
      summary: 'Confirmed.',
      callSuccessful: true,
      durationSecs: 93,
      startedAt: new Date(1767225800 * 1000),
      evaluation: { confirmed: { result: 'success' } },
      actionItems: ['call back', 'send form'],
      keyPoints: ['one point'],
    });
  });

  it('takes from/to numbers by direction', () => {
    expect(phoneNumbers(base)).toEqual({ fromNumber: '+15550001111', toNumber: '+15552223333', externalNumber: '+15552223333' });
    const inbound = { ...base, metadata: { phone_call: { direction: 'inbound', agent_number: '+1A', external_number: '+1E' } } };
    expect(phoneNumbers(inbound)).toEqual({ fromNumber: '+1E', toNumber: '+1A', externalNumber: '+1E' });
    expect(phoneNumbers({ metadata: {} })).toEqual({ fromNumber: null, toNumber: null, externalNumber: null });
  });

  it('keeps spoken turns only', () => {
    expect(transcriptLines(base)).toEqual([
      { role: 'agent', message: 'Hi Maria', timeInCallSecs: 0 },
      { role: 'user', message: 'Yes.', timeInCallSecs: 5 },
    ]);
  });

  it('gives null for an unknown call_successful', () => {
    expect(summaryFieldsOf({ ...base, analysis: { call_successful: 'unknown' } }).callSuccessful).toBeNull();
  });
});
