import { DateTime } from 'luxon';
import rrule from 'rrule';

// rrule ships CommonJS to Node (its ESM build is for bundlers): take the class from the default export.
const { RRule } = rrule;

/**
 * Parses a check-in's RRULE (`FREQ=WEEKLY;BYDAY=MO` or with an `RRULE:` prefix). DTSTART/TZID are ours
 * (the first occurrence and the check-in's zone), so a rule carrying them is refused. Returns an error
 * text, or null when the rule is usable.
 */
export function recurrenceProblem(rule: string): string | null {
  const text = rule.trim().replace(/^RRULE:/i, '');
  if (!text) return 'must not be empty';
  if (/DTSTART|TZID|\n/i.test(text)) return 'must be a single RRULE line without DTSTART/TZID (the first occurrence is scheduledFor, the zone is timezone)';
  try {
    const options = RRule.parseString(text);
    if (options.freq === undefined) {
      return /FREQ=/i.test(text) ? 'has an unknown FREQ: use YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY' : 'needs FREQ (e.g. FREQ=WEEKLY;BYDAY=MO)';
    }
    if (options.freq > RRule.HOURLY) return 'must not repeat more often than hourly';
    new RRule(options).all((_, index) => index < 1);
    return null;
  } catch (error) {
    return `is not a valid RRULE: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Local wall-clock time of `at` in `zone`, as a UTC Date (rrule computes on "floating" times). */
function toFloating(at: Date, zone: string): Date {
  const local = DateTime.fromJSDate(at, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

function fromFloating(floating: Date, zone: string): Date {
  return DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  ).toJSDate();
}

/**
 * The occurrence after `after` of `rule` whose series began at `seriesStart`, evaluated in `zone` on the
 * local calendar: a weekly 09:00 stays 09:00 local across DST changes. Null when the series has ended.
 */
export function nextOccurrence(rule: string, seriesStart: Date, after: Date, zone: string): Date | null {
  const options = RRule.parseString(rule.trim().replace(/^RRULE:/i, ''));
  const recurrence = new RRule({ ...options, dtstart: toFloating(seriesStart, zone) });
  const next = recurrence.after(toFloating(after, zone), false);
  return next ? fromFloating(next, zone) : null;
}
