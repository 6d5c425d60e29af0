// Scheduling scenario for `npm run bench` (wired by bench/run.mjs).
//
// Dispatches 2,000 due callbacks through a second built server (dist/src/main.js) with SCHEDULER_ENABLED=true and
// OUTBOUND_CONCURRENCY=16, while the fake ElevenLabs (its own process) answers every request in 200 ms. The ideal
// is 2,000 / 16 × 0.2 s = 25 s; the target is within 1.25× of it. Before dispatching, the claim statement (the
// SELECT … FOR UPDATE SKIP LOCKED over the 2,000 due rows) is run under EXPLAIN ANALYZE and its cost printed.
import { spawn } from 'node:child_process';
import pg from 'pg';

const TASKS = Number(process.env.BENCH_SCHEDULING_TASKS ?? 2000);
const CONCURRENCY = 16;
const DIAL_MS = 200;

const CLAIM_SQL = `SELECT t.id, t.user_id, t.phone_number AS phone, t.timezone, u.timezone AS user_timezone, t.reason, t.next_attempt_at
  FROM callback_tasks t LEFT JOIN users u ON u.id = t.user_id
 WHERE t.status = 'pending' AND t.next_attempt_at <= $1
 ORDER BY t.next_attempt_at LIMIT $2 FOR UPDATE OF t SKIP LOCKED`;

async function waitForHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

export async function run(context) {
  const { databaseUrl, fake } = context;
  const root = new URL('..', import.meta.url).pathname;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const port = 47000 + Math.floor(Math.random() * 1000);
  const server = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      AUTH_JWT_SECRET: 'bench-scheduling-secret',
      ELEVENLABS_WEBHOOK_SECRET: context.webhookSecret,
      ELEVENLABS_API_KEY: fake.apiKey,
      ELEVENLABS_API_BASE_URL: fake.url,
      ELEVENLABS_AGENT_ID: 'agent_bench',
      ELEVENLABS_PHONE_NUMBER_ID: 'phnum_bench',
      SCHEDULER_ENABLED: 'true',
      SCHEDULER_INTERVAL_MS: '100',
      RECONCILE_INTERVAL_MS: '86400000',
      OUTBOUND_CONCURRENCY: String(CONCURRENCY),
      CALL_WINDOW: '00:00-24:00',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const previousDelay = fake.delayMs;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`);
    // Not due yet: the rows exist for EXPLAIN, then all become due at once.
    const { rows: inserted } = await client.query(
      `INSERT INTO callback_tasks (phone_number, reason, due_at, next_attempt_at, max_attempts)
       SELECT '+14155550123', 'bench #' || n, now() + interval '1 day', now() + interval '1 day', 3 FROM generate_series(1, $1) AS n RETURNING id`,
      [TASKS],
    );
    const ids = inserted.map((row) => row.id);
    await client.query('BEGIN');
    const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${CLAIM_SQL}`, [new Date(Date.now() + 2 * 86_400_000), CONCURRENCY]);
    await client.query('ROLLBACK');
    const top = plan[0]['QUERY PLAN'][0];
    const nodes = [];
    const walk = (node) => {
      nodes.push(node['Node Type'] + (node['Index Name'] ? ` ${node['Index Name']}` : ''));
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(top.Plan);

    fake.delayMs = DIAL_MS;
    const started = performance.now();
    await client.query(`UPDATE callback_tasks SET next_attempt_at = now() - interval '1 second', due_at = now() - interval '1 second' WHERE id = ANY($1)`, [ids]);
    for (;;) {
      const { rows } = await client.query(`SELECT count(*)::int AS done FROM callback_tasks WHERE id = ANY($1) AND status <> 'pending' AND status <> 'dialing'`, [ids]);
      if (rows[0].done >= TASKS) break;
      if (performance.now() - started > 300_000) throw new Error(`only ${rows[0].done} of ${TASKS} dispatched after 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows: check } = await client.query(
      `SELECT count(*)::int AS attempts, count(DISTINCT task_id)::int AS tasks,
              count(*) FILTER (WHERE status = 'initiated')::int AS initiated
         FROM call_attempts WHERE task_id = ANY($1)`,
      [ids],
    );
    const ideal = (TASKS / CONCURRENCY) * (DIAL_MS / 1000);
    const ratio = seconds / ideal;
    return {
      rows: [
        {
          scenario: `dispatch ${TASKS} due callbacks (fake 200 ms, OUTBOUND_CONCURRENCY=16)`,
          requestsPerSec: Math.round(TASKS / seconds),
          requests: check[0].attempts,
          failures: TASKS - check[0].initiated,
          ratio,
          ratioOf: `ideal ${ideal.toFixed(1)} s (target ≤ 1.25)`,
          note:
            `${seconds.toFixed(1)} s for ${TASKS} dials = ${ratio.toFixed(2)}× the ideal ${ideal.toFixed(1)} s; ` +
            `${check[0].attempts} attempt rows for ${check[0].tasks} tasks, ${check[0].initiated} initiated. ` +
            `Claim statement over ${TASKS} due rows (LIMIT ${CONCURRENCY}, EXPLAIN ANALYZE): planning ${top['Planning Time'].toFixed(2)} ms, ` +
            `execution ${top['Execution Time'].toFixed(2)} ms, total cost ${top.Plan['Total Cost']}, plan: ${nodes.join(' → ')}`,
        },
      ],
    };
  } finally {
    fake.delayMs = previousDelay;
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.on('exit', resolve) : resolve()));
    await client.end();
  }
}
