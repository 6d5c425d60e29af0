import { DateTime } from 'luxon';
import type { CallsFilter } from '../conversations/calls.service.js';
import { InvalidDashboardQueryError } from './dashboard.errors.js';
import type { CallsQueryDto } from './dto/dashboard-query.dto.js';
import { resolveZone } from './report-range.js';

/** GET /api/calls query → the calls filter: a date-only from/to is a whole local day in `tz` (to included). */
export function toCallsFilter(query: CallsQueryDto, userZone: string | null | undefined): CallsFilter {
  const tz = resolveZone(query.tz, userZone);
  const instant = (field: 'from' | 'to', value: string | undefined): Date | undefined => {
    if (!value) return undefined;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    let time = DateTime.fromISO(value, { zone: tz });
    if (!time.isValid) throw new InvalidDashboardQueryError(`${field} must be a date YYYY-MM-DD or an ISO 8601 time; got "${value}"`);
    if (dateOnly && field === 'to') time = time.startOf('day').plus({ days: 1 });
    return time.toJSDate();
  };
  const from = instant('from', query.from);
  const to = instant('to', query.to);
  if (from && to && from >= to) throw new InvalidDashboardQueryError('from must be before to');
  const { tz: _tz, from: _from, to: _to, ...rest } = query;
  return { ...rest, from, to };
}
