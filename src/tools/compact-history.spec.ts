import { HISTORY_MAX_BYTES, LIST_MAX_ITEMS, SUMMARY_MAX_CHARS, compactHistory, truncateText } from './compact-history.js';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('truncateText', () => {
  it('keeps short text and cuts long text on a word boundary with an ellipsis', () => {
    expect(truncateText('  short   text ', 20)).toBe('short text');
    const cut = truncateText('one two three four five six seven', 16);
    expect(cut).toBe('one two three…');
    expect(Array.from(cut).length).toBeLessThanOrEqual(16);
  });

  it('never splits an emoji', () => {
    const cut = truncateText('🚀'.repeat(50), 10);
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/\uFFFD/);
  });
});

describe('compactHistory', () => {
  it('passes a small history through with dates as days', () => {
    const history = compactHistory({
      conversations: [{ title: 'Running plan', at: new Date('2027-01-10T08:00:00Z'), summary: 'Talked about a 10 km race.' }],
      goals: ['Run 10 km'],
      openActionItems: ['Buy shoes'],
    });
    expect(history).toEqual({
      conversations: [{ title: 'Running plan', date: '2027-01-10', summary: 'Talked about a 10 km race.' }],
      goals: ['Run 10 km'],
      openActionItems: ['Buy shoes'],
    });
  });

  it('stays under 4 KB for a huge history of multi-byte text', () => {
    const long = 'Ünïcödé 😀 words '.repeat(500);
    const history = compactHistory({
      conversations: Array.from({ length: 10 }, (_, i) => ({ title: long, at: new Date(Date.UTC(2027, 0, 20 - i)), summary: long })),
      goals: Array.from({ length: 200 }, () => long),
      openActionItems: Array.from({ length: 200 }, () => long),
    });
    expect(bytes(history)).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(history.conversations.length).toBeGreaterThan(0);
    expect(history.conversations[0].date).toBe('2027-01-20'); // the newest is kept
    expect(history.goals.length).toBeLessThanOrEqual(LIST_MAX_ITEMS);
    expect(Array.from(history.conversations[0].summary).length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
  });

  it('handles missing titles and summaries', () => {
    const history = compactHistory({ conversations: [{ title: null, at: new Date('2027-01-10T08:00:00Z'), summary: null }], goals: [], openActionItems: [] });
    expect(history.conversations).toEqual([{ title: '', date: '2027-01-10', summary: '' }]);
  });
});
