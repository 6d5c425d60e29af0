import { extractInsights, onboardingStep } from './insight-extraction.js';

const collected = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { data_collection_id: id, value, rationale: 'r' }]));

describe('extractInsights', () => {
  it('makes one insight per data-collection result, ids kept as they came, plus topics and sentiment', () => {
    const extraction = extractInsights({
      dataCollection: collected({ goals: 'Run a 5k', Energy_Level: 4, mood: '', key_points: '["Slept badly"]' }),
      summary: 'The user talked about their marathon.',
      personLines: ['I love my marathon training, it makes me happy.'],
    });
    const types = extraction.insights.map((insight) => `${insight.source}:${insight.insightType}`);
    expect(types).toEqual(['data_collection:goals', 'data_collection:Energy_Level', 'data_collection:key_points', 'nlp:topics', 'nlp:sentiment']);
    expect(extraction.insights[1].insightData).toEqual({ value: 4 });
    expect(extraction.goals).toEqual(['Run a 5k']);
    expect(extraction.topics).toContain('marathon');
    expect(extraction.sentiment!.label).toBe('positive');
  });

  it('accepts bare values (no { value } wrapper)', () => {
    expect(extractInsights({ dataCollection: { goals: ['Read'] }, summary: null, personLines: [] }).goals).toEqual(['Read']);
  });

  it('de-duplicates action items by normalised text, and a done listing wins over an open one', () => {
    const { actionItems } = extractInsights({
      dataCollection: collected({ action_items: ['Walk daily.', 'walk daily', 'Call mum'], action_items_done: 'call MUM!' }),
      summary: null,
      personLines: [],
    });
    expect(actionItems).toEqual([
      { text: 'Walk daily.', normalizedText: 'walk daily', status: 'open' },
      { text: 'call MUM!', normalizedText: 'call mum', status: 'done' },
    ]);
  });

  it('reads the coaching style as text', () => {
    expect(extractInsights({ dataCollection: collected({ coaching_style: 'Direct' }), summary: null, personLines: [] }).coachingStyle).toBe('Direct');
    expect(extractInsights({ dataCollection: {}, summary: null, personLines: [] }).coachingStyle).toBeNull();
  });
});

describe('onboardingStep', () => {
  it('moves goal discovery on with goals, coaching-style discovery on with a style or goals, nothing else', () => {
    expect(onboardingStep('goal_discovery', { goals: ['Run'], coachingStyle: null })).toEqual({ from: 'goal_discovery', to: 'coaching_style_discovery' });
    expect(onboardingStep('goal_discovery', { goals: [], coachingStyle: 'Direct' })).toBeNull();
    expect(onboardingStep('coaching_style_discovery', { goals: [], coachingStyle: 'Direct' })).toEqual({ from: 'coaching_style_discovery', to: 'coaching' });
    expect(onboardingStep('coaching_style_discovery', { goals: ['Run'], coachingStyle: null })).toEqual({ from: 'coaching_style_discovery', to: 'coaching' });
    expect(onboardingStep('coaching', { goals: ['Run'], coachingStyle: 'Direct' })).toBeNull();
    expect(onboardingStep(null, { goals: ['Run'], coachingStyle: null })).toBeNull();
  });
});
