import { sentimentLabel, sentimentOf, topicsOf } from './text-analysis.js';

describe('topics', () => {
  it('are the lemmatised nouns of the summary and the person’s turns, most frequent first', () => {
    const topics = topicsOf(['The user talked about their sleep and their deadlines at work.', 'My sleep is bad because of work deadlines.']);
    expect(topics.slice(0, 3)).toEqual(['sleep', 'deadline', 'work']);
  });

  it('drop stop words, names, dates and the conversation’s own roles (user, agent …)', () => {
    const topics = topicsOf(['The user told the agent that Maria visits on Monday evening to talk about the garden.']);
    expect(topics).toContain('garden');
    for (const dropped of ['user', 'agent', 'maria', 'monday', 'evening', 'the', 'about']) expect(topics).not.toContain(dropped);
  });

  it('are at most five per conversation, and none for empty text', () => {
    expect(topicsOf(['budget house garden car dog cat phone book'.split(' ').map((w) => `I like my ${w}.`).join(' ')])).toHaveLength(5);
    expect(topicsOf(['', '   '])).toEqual([]);
  });
});

describe('sentiment', () => {
  it('scores the person’s own turns with a label', () => {
    const happy = sentimentOf(['I am really happy, it felt great!']);
    expect(happy!.label).toBe('positive');
    expect(happy!.score).toBeGreaterThan(0.1);
    const sad = sentimentOf(['I feel awful and stressed', 'everything is terrible']);
    expect(sad!.label).toBe('negative');
    expect(sad!.score).toBeLessThan(-0.1);
    expect(sentimentOf(['I went to the shop.'])!.label).toBe('neutral');
  });

  it('is absent when the person said nothing', () => {
    expect(sentimentOf([])).toBeNull();
    expect(sentimentOf(['  '])).toBeNull();
  });

  it('labels by ±0.1', () => {
    expect([sentimentLabel(0.1), sentimentLabel(0.09), sentimentLabel(-0.1)]).toEqual(['positive', 'neutral', 'negative']);
  });
});
