// Insights scenarios for `npm run bench` (wired by bench/run.mjs).
//
// export async function run(context) → rows [{ scenario, requestsPerSec, p99Ms, requests, failures, ratio?, ratioOf?, note? }]
// context (from bench/run.mjs): baseUrl, databaseUrl (the server's PostgreSQL), adminToken, load (bounded autocannon),
//   seconds, connections; tokens are signed here with the same key as run.mjs (BENCH_JWT_SECRET, default bench-jwt-secret).
//
// Seeds by SQL a person with 500 conversations and 5,000 insights (10 per conversation: goals, challenges,
// action_items, key_points, mood, coaching_style, topics, sentiment, energy, wins) and 1,000 action items, then:
//   1. GET /api/users/me/profile for that person: 300 sequential reads → p50 / p99 latency (target p50 < 20 ms),
//      then a bounded autocannon run for req/s.
//   2. GET /rooms/:slug for that person vs a person with no history, each a bounded autocannon run
//      (target: the heavy person's req/s ≥ 0.8 of the new person's).
import jwt from 'jsonwebtoken';
import { join } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;

const CONVERSATIONS = 500;
const INSIGHTS_PER_CONVERSATION = 10;

export async function run(context) {
  const { baseUrl, databaseUrl, adminToken, load } = context;
  const secret = process.env.BENCH_JWT_SECRET ?? 'bench-jwt-secret';
  const token = (sub, name) => jwt.sign({ sub, name, role: 'user' }, secret, { algorithm: 'HS256', expiresIn: '1h' });
  const heavy = token('bench-insights-heavy', 'Heavy History');
  const fresh = token('bench-insights-new', 'New Person');

  const slug = 'bench-insights-room';
  const created = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ slug, name: 'Bench insights room', description: 'Load test room', kind: 'coaching', coachingStyle: 'Direct' }),
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`could not create the bench room: ${created.status} ${await created.text()}`);
  // First sight of both tokens creates their users rows.
  for (const person of [heavy, fresh]) {
    const response = await fetch(`${baseUrl}/api/users/me/profile`, { headers: { Authorization: `Bearer ${person}` } });
    if (response.status !== 200) throw new Error(`profile answered ${response.status}: ${await response.text()}`);
  }

  let sqlMedianMs = null;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [{ id: userId }] = (await client.query(`SELECT id FROM users WHERE external_id = 'bench-insights-heavy'`)).rows;
    const [{ id: roomId }] = (await client.query(`SELECT id FROM rooms WHERE slug = $1`, [slug])).rows;
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO conversation_summaries (conversation_id, user_id, room_id, summary, title, started_at, duration_secs, source)
       SELECT 'bench_conv_' || n, $1, $2, 'The user talked about sleep, work deadlines and running, conversation ' || n || '.', 'Call ' || n,
              now() - (n || ' hours')::interval, 300, 'webhook'
       FROM generate_series(1, ${CONVERSATIONS}) AS n ON CONFLICT (conversation_id) DO NOTHING`,
      [userId, roomId],
    );
    await client.query(
      `INSERT INTO user_insights (user_id, insight_type, insight_data, conversation_id, source, created_at)
       SELECT $1, t.type, t.data, 'bench_conv_' || n, t.source, now() - (n || ' hours')::interval
       FROM generate_series(1, ${CONVERSATIONS}) AS n
       CROSS JOIN LATERAL (VALUES
         ('goals', jsonb_build_object('items', jsonb_build_array('Goal ' || (n % 40), 'Run a 5k')), 'data_collection'),
         ('challenges', jsonb_build_object('items', jsonb_build_array('Challenge ' || (n % 15))), 'data_collection'),
         ('action_items', jsonb_build_object('items', jsonb_build_array('Step ' || n, 'Step ' || (n + 1000))), 'data_collection'),
         ('key_points', jsonb_build_object('items', jsonb_build_array('Point ' || n)), 'data_collection'),
         ('mood', jsonb_build_object('value', 'okay'), 'data_collection'),
         ('coaching_style', jsonb_build_object('value', 'Direct'), 'data_collection'),
         ('energy', jsonb_build_object('value', n % 10), 'data_collection'),
         ('wins', jsonb_build_object('items', jsonb_build_array('Win ' || n)), 'data_collection'),
         ('topics', jsonb_build_object('items', jsonb_build_array('sleep', 'topic' || (n % 30), 'topic' || (n % 7))), 'nlp'),
         ('sentiment', jsonb_build_object('score', ((n % 21) - 10) / 10.0, 'label', 'neutral'), 'nlp')
       ) AS t(type, data, source)`,
      [userId],
    );
    await client.query(
      `INSERT INTO action_items (user_id, text, normalized_text, status, conversation_id, done_at, created_at)
       SELECT $1, 'Step ' || n, 'step ' || n, CASE WHEN n % 3 = 0 THEN 'open' ELSE 'done' END, 'bench_conv_' || ((n - 1) % ${CONVERSATIONS} + 1),
              CASE WHEN n % 3 = 0 THEN NULL ELSE now() - (n || ' minutes')::interval END, now() - (n || ' hours')::interval
       FROM generate_series(1, ${CONVERSATIONS * 2}) AS n ON CONFLICT DO NOTHING`,
      [userId],
    );
    // The seed bypassed the processing path: let the next read compute the snapshot from the seeded rows.
    await client.query(`DELETE FROM user_profile_snapshots WHERE user_id = $1`, [userId]);
    await client.query('COMMIT');
    await client.query('ANALYZE conversation_summaries; ANALYZE user_insights; ANALYZE action_items');
    const counts = (await client.query(
      `SELECT (SELECT count(*) FROM conversation_summaries WHERE user_id = $1)::int AS conversations,
              (SELECT count(*) FROM user_insights WHERE user_id = $1)::int AS insights`,
      [userId],
    )).rows[0];
    if (counts.conversations < CONVERSATIONS || counts.insights < CONVERSATIONS * INSIGHTS_PER_CONVERSATION) throw new Error(`seed incomplete: ${JSON.stringify(counts)}`);
    // The database's own time for the profile statement (no HTTP, no JSON), median of 50 EXPLAIN ANALYZE runs.
    const { PROFILE_SQL, TOOL_TYPES_WITH_A_HOME } = await import(join(root, 'dist/src/insights/profile.query.js'));
    const executions = [];
    for (let i = 0; i < 50; i += 1) {
      const [{ 'QUERY PLAN': [plan] }] = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${PROFILE_SQL}`, [userId, TOOL_TYPES_WITH_A_HOME])).rows;
      executions.push(plan['Execution Time']);
    }
    executions.sort((a, b) => a - b);
    sqlMedianMs = executions[25];
  } finally {
    await client.end();
  }

  const rows = [];
  const profileUrl = `${baseUrl}/api/users/me/profile`;
  const profileHeaders = { Authorization: `Bearer ${heavy}` };
  const check = await (await fetch(profileUrl, { headers: profileHeaders })).json();
  if (check.conversationCount !== CONVERSATIONS) throw new Error(`profile shows ${check.conversationCount} conversations`);
  const latencies = [];
  for (let i = 0; i < 300; i += 1) {
    const t0 = process.hrtime.bigint();
    const response = await fetch(profileUrl, { headers: profileHeaders });
    await response.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(latencies.length * 0.5)];
  const p99 = latencies[Math.floor(latencies.length * 0.99)];
  const profileLoad = await load({ url: profileUrl, headers: profileHeaders });
  rows.push({
    scenario: 'GET /api/users/me/profile (500 conversations, 5,000 insights)',
    ...profileLoad,
    note: `sequential reads: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p50 < 20 ms); the SQL statement alone (EXPLAIN ANALYZE, median of 50): ${sqlMedianMs?.toFixed(2)} ms; under load p99 ${profileLoad.p99Ms} ms`,
  });

  const page = (person) => ({ url: `${baseUrl}/rooms/${slug}`, headers: { Cookie: `access_token=${person}`, Accept: 'text/html' } });
  for (const person of [heavy, fresh]) {
    const warm = await fetch(page(person).url, { headers: page(person).headers });
    if (warm.status !== 200) throw new Error(`room page answered ${warm.status}`);
  }
  const newPerson = await load(page(fresh));
  rows.push({ scenario: 'GET /rooms/:slug, a new person', ...newPerson });
  const heavyPerson = await load(page(heavy));
  rows.push({
    scenario: 'GET /rooms/:slug, 500 conversations and 5,000 insights',
    ...heavyPerson,
    ratio: heavyPerson.requestsPerSec / newPerson.requestsPerSec,
    ratioOf: 'new person (target ≥ 0.8)',
  });
  return rows;
}
