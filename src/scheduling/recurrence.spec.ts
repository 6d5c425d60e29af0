import { nextOccurrence, recurrenceProblem } from './recurrence.js';

describe('recurrence', () => {
  it('accepts RRULE lines with or without the RRULE: prefix', () => {
    expect(recurrenceProblem('FREQ=WEEKLY;BYDAY=MO')).toBeNull();
    expect(recurrenceProblem('RRULE:FREQ=DAILY;COUNT=5')).toBeNull();
  });

  it('refuses what is not a usable rule, saying why', () => {
    expect(recurrenceProblem('FREQ=SOMETIMES')).toMatch(/unknown FREQ/);
    expect(recurrenceProblem('FREQ=WEEKLY;BYDAY=XX')).toMatch(/not a valid RRULE/);
    expect(recurrenceProblem('BYDAY=MO')).toMatch(/FREQ/);
    expect(recurrenceProblem('FREQ=MINUTELY')).toMatch(/hourly/);
    expect(recurrenceProblem('DTSTART:20300101T090000Z\nRRULE:FREQ=DAILY')).toMatch(/DTSTART/);
    expect(recurrenceProblem('  ')).toMatch(/empty/);
  });

  it('keeps the local time of a weekly occurrence across the spring DST change', () => {
    const start = new Date('2030-03-25T08:00:00Z'); // Monday 09:00 CET
    expect(nextOccurrence('FREQ=WEEKLY;BYDAY=MO', start, start, 'Europe/Berlin')?.toISOString()).toBe('2030-04-01T07:00:00.000Z'); // 09:00 CEST
  });

  it('and across the autumn change in New York', () => {
    const start = new Date('2030-10-28T13:30:00Z'); // Monday 09:30 EDT
    expect(nextOccurrence('FREQ=WEEKLY', start, start, 'America/New_York')?.toISOString()).toBe('2030-11-04T14:30:00.000Z'); // 09:30 EST
  });

  it('skips occurrences already past and honours COUNT from the series start', () => {
    const start = new Date('2030-01-07T09:00:00Z');
    expect(nextOccurrence('FREQ=WEEKLY', start, new Date('2030-01-20T00:00:00Z'), 'UTC')?.toISOString()).toBe('2030-01-21T09:00:00.000Z');
    expect(nextOccurrence('FREQ=WEEKLY;COUNT=2', start, new Date('2030-01-14T09:00:00Z'), 'UTC')).toBeNull();
  });
});
