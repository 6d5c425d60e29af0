import { analyseCall, inferCallerName, inferIntent, inferSentiment, mapOutcome, outcomeFromCallSuccessful } from './call-analysis.js';

describe('call analysis', () => {
  describe('outcome mapping (dashboard seed)', () => {
    it.each([
      ['appointment_booked', { outcome: 'resolved', intent: 'scheduling' }],
      ['Appointment Booked', { outcome: 'resolved', intent: 'scheduling' }],
      ['appointment_cancelled', { outcome: 'resolved', intent: 'cancellation' }],
      ['escalated', { outcome: 'escalated' }],
      ['transferred_to_human', { outcome: 'escalated' }],
      ['callback_scheduled', { outcome: 'callback_scheduled' }],
      ['resolved', { outcome: 'resolved' }],
      ['information_provided', { outcome: 'resolved', intent: 'general_inquiry' }],
      ['unresolved', { outcome: 'unresolved' }],
      ['voicemail', { outcome: 'voicemail' }],
      ['hung-up', { outcome: 'abandoned' }],
      ['something_new', { outcome: 'other' }],
    ])('maps %s', (raw, expected) => {
      expect(mapOutcome(raw)).toEqual(expected);
    });

    it('gives null for a missing outcome and falls back to call_successful', () => {
      expect(mapOutcome(undefined)).toBeNull();
      expect(mapOutcome('  ')).toBeNull();
      expect(outcomeFromCallSuccessful('success')).toBe('resolved');
      expect(outcomeFromCallSuccessful('failure')).toBe('unresolved');
      expect(outcomeFromCallSuccessful('unknown')).toBeNull();
    });
  });

  describe('intent', () => {
    it.each([
      ['Hi, I would like to book an appointment with Dr. Smith for Friday.', 'scheduling'],
      ['I need to reschedule my visit, something came up.', 'scheduling'],
      ['Please cancel my subscription today.', 'cancellation'],
      ['I was charged twice this month and want a refund.', 'billing'],
      ['The app keeps crashing whenever I log in.', 'technical_support'],
      ['Honestly your staff were rude, this is unacceptable.', 'complaint'],
      ['I want to build better sleep habits and exercise more.', 'coaching'],
      ['Hello there.', 'general_inquiry'],
      ['', 'general_inquiry'],
    ])('%s → %s', (text, intent) => {
      expect(inferIntent(text)).toBe(intent);
    });
  });

  describe('sentiment', () => {
    it('is positive, negative or neutral from the wink-nlp score', () => {
      expect(inferSentiment('Thank you so much, that was really helpful and great!').sentiment).toBe('positive');
      expect(inferSentiment('This is terrible, I am very angry and disappointed.').sentiment).toBe('negative');
      expect(inferSentiment('I will be at the office on Tuesday.').sentiment).toBe('neutral');
      expect(inferSentiment('')).toEqual({ sentiment: 'neutral', score: 0 });
    });
  });

  describe('caller name', () => {
    it.each([
      [['Hello, my name is Maria Lopez and I need help.'], 'Maria Lopez'],
      [['Hi, this is John calling about my bill.'], 'John'],
      [['Yes.', 'You can call me Priya.'], 'Priya'],
      [['This is a great idea.'], null],
      [['This is ridiculous.'], null],
      [['I have no idea.'], null],
    ])('%j → %s', (lines, name) => {
      expect(inferCallerName(lines)).toBe(name);
    });
  });

  it('lets an outcome that implies an intent win over the inferred one', () => {
    const analysis = analyseCall({ rawOutcome: 'appointment_booked', summary: 'The caller complained about a bill.', callerLines: ['My name is Ana Silva.'] });
    expect(analysis).toMatchObject({ outcome: 'resolved', intent: 'scheduling', callerName: 'Ana Silva' });
  });
});
