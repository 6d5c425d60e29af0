// Dashboard scenarios for `npm run bench` (wired by bench/run.mjs): GET /api/dashboard and GET /api/calls?q= with
// 100,000 calls in conversation_summaries, seeded by SQL (so the call_rollups trigger does the counting, as for any
// writer). Rows: p50 and p99 latency at 1 connection (one admin at a time) and at BENCH_CONNECTIONS.
//
// export async function run(context) → rows [{ scenario, requestsPerSec, p99Ms, requests, failures, note }]
// context: baseUrl, databaseUrl, adminToken, autocannon, seconds, connections (see bench/run.mjs)
import pg from 'pg';

const CALLS = Number(process.env.BENCH_DASHBOARD_CALLS ?? 100_000);
const DAYS = 90;

export async function run(context) {
  const { baseUrl, databaseUrl, adminToken, autocannon } = context;
  const seconds = context.seconds ?? 5;
  const connections = context.connections ?? 50;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const rows = [];
  try {
    // 100,000 calls over the last 90 days: outcomes, intents, sentiments and summary words cycle; one call in 8 mentions "refund".
    const seedStart = performance.now();
    await client.query(
      `INSERT INTO conversation_summaries (conversation_id, title, summary, started_at, outcome, raw_outcome, intent, sentiment, duration_secs, source)
       SELECT 'bench_' || i,
              'Call ' || i,
              'The caller asked about ' || (ARRAY['billing','appointments','a refund','opening hours','a complaint','their plan','coaching goals','a password reset'])[1 + i % 8]
                || ' and the agent ' || (ARRAY['resolved it','booked a slot','escalated','scheduled a callback'])[1 + i % 4] || '.',
              now() - (random() * interval '${DAYS} days'),
              (ARRAY['resolved','resolved','escalated','callback_scheduled','unresolved','abandoned'])[1 + i % 6],
              CASE WHEN i % 5 = 0 THEN 'appointment_booked' END,
              (ARRAY['scheduling','billing','coaching','general_inquiry','technical_support','complaint','cancellation'])[1 + i % 7],
              (ARRAY['positive','neutral','negative'])[1 + i % 3],
              30 + (i * 7919) % 600,
              'webhook'
         FROM generate_series(1, $1) AS i`,
      [CALLS],
    );
    await client.query('ANALYZE conversation_summaries; ANALYZE call_rollups');
    const seedMs = Math.round(performance.now() - seedStart);
    const [{ rollups }] = (await client.query('SELECT count(*)::int AS rollups FROM call_rollups')).rows;

    // What the rollups save: the same 7-day aggregate computed by scanning the calls (one query, median of 5).
    const scanTimes = [];
    for (let n = 0; n < 5; n += 1) {
      const start = performance.now();
      await client.query(
        `SELECT (called_at AT TIME ZONE 'UTC')::date AS day, outcome, intent, sentiment, count(*), sum(duration_secs)
           FROM conversation_summaries WHERE called_at >= now() - interval '7 days'
          GROUP BY GROUPING SETS ((1), (outcome), (intent), (sentiment), ())`,
      );
      scanTimes.push(performance.now() - start);
    }
    const scanMs = scanTimes.sort((a, b) => a - b)[2].toFixed(1);

    const headers = { Authorization: `Bearer ${adminToken}`, Accept: 'application/json' };
    const warm = await fetch(`${baseUrl}/api/dashboard`, { headers });
    if (warm.status !== 200) throw new Error(`GET /api/dashboard answered ${warm.status}: ${(await warm.text()).slice(0, 300)}`);
    const check = await warm.json();
    const total = (await (await fetch(`${baseUrl}/api/dashboard?from=${new Date(Date.now() - (DAYS + 1) * 86_400_000).toISOString().slice(0, 10)}`, { headers })).json()).totalCalls;
    // Other scenarios (webhooks) may have stored a few calls of their own.
    if (total < CALLS) throw new Error(`dashboard over the whole range counts ${total} calls, seeded ${CALLS}`);

    const from90 = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const scenarios = [
      ['GET /api/dashboard (7 days)', '/api/dashboard', `rollups ${rollups} rows for ${CALLS} calls (seeded in ${seedMs} ms); the same 7-day aggregate by scanning the calls: ${scanMs} ms per query; 7-day totalCalls ${check.totalCalls}`],
      [`GET /api/dashboard (${DAYS} days, tz Asia/Kathmandu)`, `/api/dashboard?from=${from90}&tz=Asia/Kathmandu`],
      ['GET /api/calls?q=refund (1 call in 8 matches)', '/api/calls?q=refund'],
      ['GET /api/calls?q=refund&outcome=escalated', '/api/calls?q=refund&outcome=escalated'],
      ['GET /api/calls (first page, no filter)', '/api/calls'],
    ];
    for (const [scenario, path, note] of scenarios) {
      for (const c of [1, connections]) {
        const result = await autocannon({ url: `${baseUrl}${path}`, headers, connections: c, duration: seconds });
        rows.push({
          scenario: `${scenario} c=${c}`,
          requestsPerSec: Math.round(result.requests.average),
          p99Ms: result.latency.p99,
          requests: result.requests.total,
          failures: result.non2xx + result.errors + result.timeouts,
          note: `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${c === 1 && note ? `; ${note}` : ''}`,
        });
      }
    }
  } finally {
    await client.end();
  }
  return rows;
}
