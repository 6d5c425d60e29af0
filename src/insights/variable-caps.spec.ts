import { personalisationVariables, PERSONALISATION_VARIABLES, variablesFromProfile } from './personalisation-variables.js';
import { capList, capText, MAX_VARIABLE_LENGTH } from './variable-caps.js';

describe('variable caps', () => {
  it('leaves short text alone and collapses white space', () => {
    expect(capText('  We talked\n about   sleep. ')).toBe('We talked about sleep.');
    expect(capText(null)).toBe('');
  });

  it('cuts long text on a word boundary with an ellipsis, within 400 characters', () => {
    const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const capped = capText(long);
    expect(capped.length).toBeLessThanOrEqual(MAX_VARIABLE_LENGTH);
    expect(capped.endsWith('…')).toBe(true);
    const kept = capped.slice(0, -1);
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toBe(' ');
  });

  it('cuts a single over-long word inside it', () => {
    const capped = capText('x'.repeat(1000));
    expect(capped).toHaveLength(MAX_VARIABLE_LENGTH);
    expect(capped.endsWith('x…')).toBe(true);
  });

  it('joins lists as "a; b; c" and caps the whole', () => {
    expect(capList(['Run a 5k', 'Sleep more', ' Read '])).toBe('Run a 5k; Sleep more; Read');
    expect(capList(['a', 'b'], undefined, ', ')).toBe('a, b');
    const many = capList(Array.from({ length: 200 }, (_, i) => `goal number ${i}`));
    expect(many.length).toBeLessThanOrEqual(MAX_VARIABLE_LENGTH);
    expect(many.endsWith('…')).toBe(true);
    expect(many).not.toMatch(/[;,] ?…$/);
  });

  it('always gives all nine variables as strings, each capped', () => {
    const variables = personalisationVariables(
      variablesFromProfile({
        conversationCount: 12,
        lastSummary: 'long '.repeat(200),
        openActionItems: [{ text: 'Walk' }, { text: 'Call mum' }],
        recurringTopics: [{ topic: 'sleep' }],
        goals: ['Run a 5k', 'Sleep more'],
        coachingStyle: null,
      }),
      { displayName: 'Zoë "Z" '.repeat(100), onboardingPhase: 'coaching' },
    );
    expect(Object.keys(variables).sort()).toEqual([...PERSONALISATION_VARIABLES].sort());
    for (const value of Object.values(variables)) {
      expect(typeof value).toBe('string');
      expect(value.length).toBeLessThanOrEqual(MAX_VARIABLE_LENGTH);
    }
    expect(variables).toMatchObject({ conversation_count: '12', open_action_items: 'Walk; Call mum', recurring_topics: 'sleep', goals: 'Run a 5k; Sleep more', selected_goals: 'Run a 5k, Sleep more', coaching_style: '', onboarding_phase: 'coaching' });
    expect(Object.values(personalisationVariables(null, null))).toEqual(Array(9).fill(''));
  });
});
