import { DateTime, IANAZone } from 'luxon';
import { InvalidDashboardQueryError } from './dashboard.errors.js';

/** Days covered by GET /api/dashboard when `from`/`to` are not given: today and the 6 days before. */
export const DEFAULT_RANGE_DAYS = 7;
/** Longest range one request may ask for (callsPerDay lists every day). */
export const MAX_RANGE_DAYS = 366;

/** A range of whole local days in one time zone: `from`..`to` both included. */
export interface ReportRange {
  tz: string;
  /** YYYY-MM-DD, local */
  from: string;
  /** YYYY-MM-DD, local, included */
  to: string;
  /** today's local date in `tz` */
  today: string;
  /** every local date from..to */
  days: string[];
}

/** The zone to report in: `?tz=` when given (it must be IANA), else the admin's own zone, else UTC. */
export function resolveZone(requested: string | undefined, userZone: string | null | undefined): string {
  if (requested !== undefined) {
    if (!IANAZone.isValidZone(requested)) {
      throw new InvalidDashboardQueryError(`tz must be an IANA time zone such as Europe/Berlin; got "${requested}"`);
    }
    return requested;
  }
  return userZone && IANAZone.isValidZone(userZone) ? userZone : 'UTC';
}

function localDate(field: 'from' | 'to', value: string, tz: string): DateTime {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: tz }) : null;
  if (!date?.isValid) throw new InvalidDashboardQueryError(`${field} must be a date YYYY-MM-DD; got "${value}"`);
  return date;
}

/** `to` defaults to today (in `tz`), `from` to DEFAULT_RANGE_DAYS - 1 days before `to`; from must not be after to. */
export function resolveRange(query: { from?: string; to?: string }, tz: string, now: Date): ReportRange {
  const today = DateTime.fromJSDate(now, { zone: tz }).startOf('day');
  const to = query.to ? localDate('to', query.to, tz) : today;
  const from = query.from ? localDate('from', query.from, tz) : to.minus({ days: DEFAULT_RANGE_DAYS - 1 });
  if (from > to) throw new InvalidDashboardQueryError(`from (${from.toISODate()}) must not be after to (${to.toISODate()})`);
  const length = Math.round(to.diff(from, 'days').days) + 1;
  if (length > MAX_RANGE_DAYS) throw new InvalidDashboardQueryError(`from..to covers ${length} days; at most ${MAX_RANGE_DAYS} are allowed`);
  const days: string[] = [];
  for (let day = from; day <= to; day = day.plus({ days: 1 })) days.push(day.toISODate()!);
  return { tz, from: from.toISODate()!, to: to.toISODate()!, today: today.toISODate()!, days };
}

/** The instant a local date starts in `tz` (for filters given as dates). */
export function startOfLocalDay(date: string, tz: string): Date {
  return DateTime.fromISO(date, { zone: tz }).startOf('day').toJSDate();
}
