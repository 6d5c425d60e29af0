import { effectiveZone, isInsideCallWindow, nextCallWindowOpening } from './call-window.js';

const window = { startMinutes: 8 * 60, endMinutes: 20 * 60 };

describe('call window', () => {
  it('is open from the start up to (not including) the end, in the given zone', () => {
    expect(isInsideCallWindow(new Date('2030-01-10T07:00:00Z'), 'Europe/Berlin', window)).toBe(true); // 08:00 local
    expect(isInsideCallWindow(new Date('2030-01-10T06:59:00Z'), 'Europe/Berlin', window)).toBe(false);
    expect(isInsideCallWindow(new Date('2030-01-10T19:00:00Z'), 'Europe/Berlin', window)).toBe(false); // 20:00 local
    expect(isInsideCallWindow(new Date('2030-01-10T19:00:00Z'), 'America/New_York', window)).toBe(true); // 14:00 local
  });

  it('moves 3 am to 08:00 the same local day', () => {
    expect(nextCallWindowOpening(new Date('2030-01-10T02:00:00Z'), 'Europe/Berlin', window).toISOString()).toBe('2030-01-10T07:00:00.000Z');
  });

  it('moves a late evening to 08:00 the next local day', () => {
    expect(nextCallWindowOpening(new Date('2030-01-10T21:30:00Z'), 'Europe/Berlin', window).toISOString()).toBe('2030-01-11T07:00:00.000Z');
    // 23:00 in New York is already the next day in UTC; the opening is the next New York morning.
    expect(nextCallWindowOpening(new Date('2030-01-11T04:00:00Z'), 'America/New_York', window).toISOString()).toBe('2030-01-11T13:00:00.000Z');
  });

  it('keeps 08:00 local across a DST change', () => {
    // Berlin springs forward on 2030-03-31: 08:00 is 07:00 UTC before, 06:00 UTC after.
    expect(nextCallWindowOpening(new Date('2030-03-30T20:00:00Z'), 'Europe/Berlin', window).toISOString()).toBe('2030-03-31T06:00:00.000Z');
  });

  it('leaves a time inside the window alone', () => {
    const at = new Date('2030-01-10T12:00:00Z');
    expect(nextCallWindowOpening(at, 'UTC', window)).toBe(at);
  });

  it('falls back to UTC for an unknown or missing zone', () => {
    expect(effectiveZone(null, 'Nowhere/Land', undefined)).toBe('UTC');
    expect(effectiveZone(null, 'Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(effectiveZone('Europe/Paris', 'Asia/Tokyo')).toBe('Europe/Paris');
  });
});
