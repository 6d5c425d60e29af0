import { callerLinesOf, summaryFieldsOfFlatCall } from './call-summary.mapper.js';

describe('flat call summary mapper', () => {
  const call = {
    call_id: 'call_123',
    agent_id: 'agent_9',
    started_at: '2026-01-05T10:00:00Z',
    ended_at: '2026-01-05T10:03:00Z',
    from_number: '+15552223333',
    to_number: '+15550001111',
    transcript: 'Agent: Thanks for calling Acme Dental.\nCaller: Hi, my name is Maria Lopez, I would like to book an appointment.\nAgent: Done.\nCaller: Great, thank you so much!',
    analysis: { call_outcome: 'appointment_booked', summary: 'Maria booked a cleaning for Friday.' },
  };

  it('maps the seed fields, outcome, intent, sentiment and caller name', () => {
    expect(summaryFieldsOfFlatCall(call)).toMatchObject({
      conversationId: 'call_123',
      agentId: 'agent_9',
      startedAt: new Date('2026-01-05T10:00:00Z'),
      durationSecs: 180,
      fromNumber: '+15552223333',
      toNumber: '+15550001111',
      summary: 'Maria booked a cleaning for Friday.',
      outcome: 'resolved',
      intent: 'scheduling',
      sentiment: 'positive',
      callerName: 'Maria Lopez',
      callSuccessful: true,
      source: 'calls_api',
    });
  });

  it('prefers duration_seconds, and maps escalations', () => {
    expect(summaryFieldsOfFlatCall({ ...call, duration_seconds: 42, analysis: { call_outcome: 'escalated' } })).toMatchObject({ durationSecs: 42, outcome: 'escalated' });
  });

  it('reads caller turns from arrays and prefixed text', () => {
    expect(callerLinesOf([{ role: 'agent', message: 'Hi' }, { role: 'user', message: 'Hello' }, { speaker: 'customer', text: 'Yes' }])).toEqual(['Hello', 'Yes']);
    expect(callerLinesOf('Agent: Hi\nCustomer: I need help')).toEqual(['I need help']);
    expect(callerLinesOf('no prefixes here')).toEqual(['no prefixes here']);
    expect(callerLinesOf(undefined)).toEqual([]);
  });

  it('infers a negative complaint when no outcome is given', () => {
    const fields = summaryFieldsOfFlatCall({ call_id: 'c2', transcript: 'Caller: This is unacceptable, your staff was rude and I am angry.' });
    expect(fields).toMatchObject({ outcome: null, intent: 'complaint', sentiment: 'negative', callerName: null });
  });
});
