import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { CallbackStatsService } from '../scheduling/callback-stats.service.js';
import { type ReportRange, resolveRange, resolveZone } from './report-range.js';

/** Buckets are aligned on UTC midnight (date_bin's origin). */
const ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`;

/** How a missing outcome, intent or sentiment (stored as '' in call_rollups) is named in breakdowns. */
export const UNKNOWN_LABEL = 'unknown';

export interface DashboardResponse {
  from: string;
  to: string;
  tz: string;
  /** calls whose local date in `tz` is today */
  callsToday: number;
  /** calls in the range */
  totalCalls: number;
  appointmentsBooked: number;
  escalations: number;
  callbacksDue: number;
  callbacksFailed: number;
  /** resolved calls / calls in the range, 0..1 (4 decimals); null without calls */
  successRate: number | null;
  averageDurationSecs: number | null;
  totalDurationSecs: number;
  callsPerDay: Array<{ date: string; count: number }>;
  outcomes: Record<string, number>;
  intents: Record<string, number>;
  sentiments: Record<string, number>;
}

interface RollupRow {
  g_day: number;
  g_outcome: number;
  g_intent: number;
  g_sentiment: number;
  day: string | null;
  outcome: string | null;
  intent: string | null;
  sentiment: string | null;
  calls: number;
  appointments: number;
  duration_total: string;
  duration_calls: number;
}

/**
 * GET /api/dashboard: every figure is summed in SQL from the rollup tables a trigger keeps (see call-rollup.entity.ts),
 * never from the calls themselves; a local day in any zone is a whole number of 15-minute buckets.
 * Definitions: docs/dashboard.md.
 */
@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly callbacks: CallbackStatsService,
  ) {}

  /** Resolves `tz` (query, else the admin's zone, else UTC) and the from/to dates; 400 naming the bad field. */
  range(query: { from?: string; to?: string; tz?: string }, userZone: string | null | undefined): ReportRange {
    const tz = resolveZone(query.tz, userZone);
    return resolveRange(query, tz, this.clock.now());
  }

  async summarise(range: ReportRange): Promise<DashboardResponse> {
    const { tz, from, to, today } = range;
    // [s, e): the range's local days as UTC instants; [ds, de): the whole UTC days inside it (read per day), the
    // rest of the range (at most a partial day at either end in a non-UTC zone) is read per 15-minute bucket, as two
    // disjoint index ranges [s, ds) and [de, e) (written so that they stay disjoint when no whole day fits).
    const rowsQuery: Promise<RollupRow[]> = this.dataSource.query(
      `WITH bounds AS (
              SELECT s, e,
                     CASE WHEN date_bin('1 day', s, ${ORIGIN}) = s THEN s ELSE date_bin('1 day', s, ${ORIGIN}) + interval '1 day' END AS ds,
                     date_bin('1 day', e, ${ORIGIN}) AS de
                FROM (SELECT ($2::date)::timestamp AT TIME ZONE $1 AS s, ($3::date + 1)::timestamp AT TIME ZONE $1 AS e) AS range
            ),
            breakdown AS (
              SELECT r.outcome, r.intent, r.sentiment, r.calls, r.appointments, r.duration_total_secs, r.duration_calls
                FROM call_rollups_daily r, bounds b WHERE r.bucket_start >= b.ds AND r.bucket_start < b.de AND r.calls <> 0
              UNION ALL
              SELECT r.outcome, r.intent, r.sentiment, r.calls, r.appointments, r.duration_total_secs, r.duration_calls
                FROM call_rollups r, bounds b WHERE r.bucket_start >= b.s AND r.bucket_start < least(b.ds, b.e) AND r.calls <> 0
              UNION ALL
              SELECT r.outcome, r.intent, r.sentiment, r.calls, r.appointments, r.duration_total_secs, r.duration_calls
                FROM call_rollups r, bounds b WHERE r.bucket_start >= greatest(b.de, least(b.ds, b.e)) AND r.bucket_start < b.e AND r.calls <> 0
            )
       SELECT 1 AS g_day, GROUPING(outcome)::int AS g_outcome, GROUPING(intent)::int AS g_intent, GROUPING(sentiment)::int AS g_sentiment,
              NULL AS day, outcome, intent, sentiment, sum(calls)::int AS calls, sum(appointments)::int AS appointments,
              sum(duration_total_secs)::text AS duration_total, sum(duration_calls)::int AS duration_calls
         FROM breakdown
        GROUP BY GROUPING SETS ((outcome), (intent), (sentiment), ())
       UNION ALL
       -- One index range per local day: converting each bucket to local time would cost more than the sums.
       SELECT 0, 1, 1, 1, to_char(d.day, 'YYYY-MM-DD'), NULL, NULL, NULL, sum(c.calls)::int, 0, '0', 0
         FROM (SELECT day::date AS day, day::timestamp AT TIME ZONE $1 AS s, (day::date + 1)::timestamp AT TIME ZONE $1 AS e
                 FROM generate_series($2::date, $3::date, interval '1 day') AS day) AS d
         JOIN call_counts c ON c.bucket_start >= d.s AND c.bucket_start < d.e
        GROUP BY d.day`,
      [tz, from, to],
    );
    const todayQuery: Promise<Array<{ calls: number }>> = this.dataSource.query(
      `SELECT coalesce(sum(calls), 0)::int AS calls FROM call_counts
        WHERE bucket_start >= ($2::date)::timestamp AT TIME ZONE $1 AND bucket_start < ($2::date + 1)::timestamp AT TIME ZONE $1`,
      [tz, today],
    );
    const rangeStart = DateTime.fromISO(from, { zone: tz }).startOf('day');
    const rangeEnd = DateTime.fromISO(to, { zone: tz }).startOf('day').plus({ days: 1 });
    const endOfToday = DateTime.fromISO(today, { zone: tz }).startOf('day').plus({ days: 1 });
    // Independent queries, on separate pool connections.
    const [rows, [todayRow], callbacksDue, callbacksFailed] = await Promise.all([
      rowsQuery,
      todayQuery,
      this.callbacks.countDue(endOfToday.toJSDate()),
      this.callbacks.countFailed(rangeStart.toJSDate(), rangeEnd.toJSDate()),
    ]);

    const perDay = new Map<string, number>();
    const outcomes: Record<string, number> = {};
    const intents: Record<string, number> = {};
    const sentiments: Record<string, number> = {};
    let total: RollupRow | undefined;
    for (const row of rows) {
      if (!row.calls) continue;
      if (row.g_day === 0) perDay.set(row.day!, row.calls);
      else if (row.g_outcome === 0) outcomes[row.outcome || UNKNOWN_LABEL] = row.calls;
      else if (row.g_intent === 0) intents[row.intent || UNKNOWN_LABEL] = row.calls;
      else if (row.g_sentiment === 0) sentiments[row.sentiment || UNKNOWN_LABEL] = row.calls;
      else total = row;
    }
    const totalCalls = total?.calls ?? 0;
    const totalDurationSecs = Number(total?.duration_total ?? 0);
    const durationCalls = total?.duration_calls ?? 0;
    return {
      from,
      to,
      tz,
      callsToday: todayRow.calls,
      totalCalls,
      appointmentsBooked: total?.appointments ?? 0,
      escalations: outcomes.escalated ?? 0,
      callbacksDue,
      callbacksFailed,
      successRate: totalCalls ? Math.round(((outcomes.resolved ?? 0) / totalCalls) * 10_000) / 10_000 : null,
      averageDurationSecs: durationCalls ? Math.round((totalDurationSecs / durationCalls) * 10) / 10 : null,
      totalDurationSecs,
      callsPerDay: range.days.map((date) => ({ date, count: perDay.get(date) ?? 0 })),
      outcomes,
      intents,
      sentiments,
    };
  }
}
