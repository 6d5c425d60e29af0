import { describeLocalTime, parseCallbackTime } from './callback-time.js';

const at = (iso: string) => new Date(iso);

describe('parseCallbackTime', () => {
  it('reads "tomorrow at 6pm" in Europe/Berlin in winter as 17:00 UTC', () => {
    expect(parseCallbackTime('tomorrow at 6pm', at('2027-01-14T10:00:00Z'), 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-01-15T17:00:00Z') });
  });

  it('reads the same phrase in summer as 16:00 UTC', () => {
    expect(parseCallbackTime('tomorrow at 6pm', at('2027-07-14T10:00:00Z'), 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-07-15T16:00:00Z') });
  });

  it('keeps 6pm local across the spring DST change (said on Saturday 27 March 2027, CET; Sunday is CEST)', () => {
    expect(parseCallbackTime('tomorrow at 6pm', at('2027-03-27T10:00:00Z'), 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-03-28T16:00:00Z') });
  });

  it('keeps "in 2 hours" exactly two hours later across the DST change', () => {
    const now = at('2027-03-28T00:30:00Z'); // 01:30 CET, the clocks jump at 02:00 local
    expect(parseCallbackTime('in 2 hours', now, 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-03-28T02:30:00Z') });
  });

  it('reads "in 2 hours" relative to now', () => {
    expect(parseCallbackTime('in 2 hours', at('2027-01-14T10:00:00Z'), 'America/New_York')).toEqual({ ok: true, dueAt: at('2027-01-14T12:00:00Z') });
  });

  it('reads a time of day that has passed today as tomorrow', () => {
    // 20:00 in Berlin: "at 6pm" is tomorrow's 6pm.
    expect(parseCallbackTime('at 6pm', at('2027-01-14T19:00:00Z'), 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-01-15T17:00:00Z') });
  });

  it('takes ISO-8601 with an offset as it is, and without one as local time', () => {
    const now = at('2027-01-14T10:00:00Z');
    expect(parseCallbackTime('2027-01-20T09:30:00Z', now, 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-01-20T09:30:00Z') });
    expect(parseCallbackTime('2027-01-20T09:30', now, 'Europe/Berlin')).toEqual({ ok: true, dueAt: at('2027-01-20T08:30:00Z') });
  });

  it('says a past time is past, and an unreadable phrase is unreadable', () => {
    const now = at('2027-01-14T10:00:00Z');
    expect(parseCallbackTime('2027-01-01T09:00:00Z', now, 'UTC')).toEqual({ ok: false, reason: 'past', dueAt: at('2027-01-01T09:00:00Z') });
    expect(parseCallbackTime('yesterday at 6pm', now, 'UTC')).toMatchObject({ ok: false, reason: 'past' });
    expect(parseCallbackTime('whenever suits the moon', now, 'UTC')).toEqual({ ok: false, reason: 'unreadable' });
    expect(parseCallbackTime('   ', now, 'UTC')).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('falls back to UTC for an invalid zone', () => {
    expect(parseCallbackTime('tomorrow at 6pm', at('2027-01-14T10:00:00Z'), 'Mars/Olympus')).toEqual({ ok: true, dueAt: at('2027-01-15T18:00:00Z') });
  });
});

describe('describeLocalTime', () => {
  it('says the time in the person zone', () => {
    expect(describeLocalTime(at('2027-01-15T17:00:00Z'), 'Europe/Berlin')).toBe('Friday 15 January at 18:00');
  });
});
