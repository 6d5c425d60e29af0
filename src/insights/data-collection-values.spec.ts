import { insightDataOf, isListInsight, listOfStrings, normalizeActionItemText, scalarValue } from './data-collection-values.js';

describe('data-collection value shapes', () => {
  it('reads a list from an array, a JSON text, lines, semicolons or one plain string', () => {
    expect(listOfStrings(['Run a 5k', ' Sleep more '])).toEqual(['Run a 5k', 'Sleep more']);
    expect(listOfStrings('["Run a 5k", "Sleep more"]')).toEqual(['Run a 5k', 'Sleep more']);
    expect(listOfStrings('- Run a 5k\n* Sleep more\r\n\n3. Read')).toEqual(['Run a 5k', 'Sleep more', 'Read']);
    expect(listOfStrings('Run a 5k; Sleep more')).toEqual(['Run a 5k', 'Sleep more']);
    expect(listOfStrings('Run, then stretch')).toEqual(['Run, then stretch']);
    expect(listOfStrings('"Run a 5k"')).toEqual(['Run a 5k']);
  });

  it('turns numbers, booleans and objects into text items, drops empties and repeats', () => {
    expect(listOfStrings(5)).toEqual(['5']);
    expect(listOfStrings([{ text: 'Call mum' }, { title: 'Walk' }, { other: 1 }])).toEqual(['Call mum', 'Walk', '{"other":1}']);
    expect(listOfStrings(['Walk', 'walk', '', '  ', null])).toEqual(['Walk']);
    expect(listOfStrings(null)).toEqual([]);
    expect(listOfStrings('')).toEqual([]);
  });

  it('caps lists at 50 items of 500 characters', () => {
    expect(listOfStrings(Array.from({ length: 80 }, (_, i) => `item ${i}`))).toHaveLength(50);
    expect(listOfStrings(['x'.repeat(900)])[0]).toHaveLength(500);
  });

  it('keeps other values as they came: text trimmed, JSON text parsed, numbers kept', () => {
    expect(scalarValue(' tired ')).toBe('tired');
    expect(scalarValue('{"energy": 3}')).toEqual({ energy: 3 });
    expect(scalarValue(7)).toBe(7);
    expect(scalarValue(true)).toBe(true);
    expect(scalarValue('')).toBeNull();
  });

  it('stores list types as { items } and others as { value }; a list value makes any id a list', () => {
    expect(insightDataOf('goals', 'Run a 5k')).toEqual({ items: ['Run a 5k'] });
    expect(insightDataOf('mood', 'tired')).toEqual({ value: 'tired' });
    expect(insightDataOf('session_rating', '8')).toEqual({ value: '8' });
    expect(insightDataOf('wins', '["Ran twice"]')).toEqual({ items: ['Ran twice'] });
    expect(isListInsight('wins', ['a'])).toBe(true);
    expect(insightDataOf('goals', '[]')).toBeNull();
    expect(insightDataOf('mood', '  ')).toBeNull();
  });
});

describe('action-item de-duplication key', () => {
  it('ignores case, punctuation and spacing', () => {
    expect(normalizeActionItemText('Put the phone away at 22:00.')).toBe(normalizeActionItemText('  put the PHONE away at 22 00'));
    expect(normalizeActionItemText('Call Mum!')).toBe('call mum');
    expect(normalizeActionItemText('Call mum')).not.toBe(normalizeActionItemText('Call dad'));
  });
});
