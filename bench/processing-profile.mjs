// Processing-only profile (not part of `npm run bench`): how fast stored post_call_transcription events are
// processed, with nothing else running, and which statements the database spends its time on.
//
//   DATABASE_URL=postgres://…/db N=2000 node bench/processing-profile.mjs     (after `npm run build`)
//
// DATABASE_URL: a throwaway database (its tables are written); with pg_stat_statements loaded
// (`shared_preload_libraries`, `CREATE EXTENSION pg_stat_statements`) the top statements are printed too.
// NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server; EXTRA='{"WEBHOOK_CONCURRENCY":"2"}' adds env;
// CPU_SPLIT=1 prints the server's user and system CPU seconds.
// The server is started once to migrate, stopped, N pending events (the bench's 20-turn calls of 50 known
// people, from bench/webhooks.mjs) are inserted by SQL, and the server is started again: events/s over the
// processed_at span, and the server's CPU seconds (including its start-up).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { PEOPLE, postCallExample } from './webhooks.mjs';

const root = new URL('..', import.meta.url).pathname;
const N = Number(process.env.N ?? 2000);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('set DATABASE_URL to a throwaway database');
const port = 46000 + Math.floor(Math.random() * 900);
const env = {
  PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: 'profile-secret',
  ELEVENLABS_WEBHOOK_SECRET: 'wsec_profile', SCHEDULER_ENABLED: 'true', RECONCILE_INTERVAL_MS: '3600000', LOG_LEVEL: 'warn',
  ...(process.env.EXTRA ? JSON.parse(process.env.EXTRA) : {}),
};
const startServer = () => spawn(process.execPath, [...(process.env.NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
const stopServer = (server) => new Promise((resolve) => { server.on('exit', resolve); server.kill('SIGTERM'); });
const waitUp = async () => {
  for (;;) {
    try { if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return; } catch { /* not yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  process.env.CPU_SPLIT && console.log(`utime ${Number(fields[11]) / 100} s, stime ${Number(fields[12]) / 100} s`);
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

// As intake stores them: which worker takes each (the built server's own function).
const { callerHashFor } = await import(`${root}dist/src/webhooks/dedupe-key.js`);
let server = startServer();
await waitUp(); // migrations
await stopServer(server);
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
await db.query(`INSERT INTO users (external_id, display_name) SELECT 'bench_person_' || n, 'Bench Person ' || n FROM generate_series(0, $1 - 1) AS n ON CONFLICT (external_id) DO NOTHING`, [PEOPLE]);
const prefix = `prof${Date.now().toString(36)}`;
const pattern = `post_call_transcription:conv_${prefix}_%`;
const rows = Array.from({ length: N }, (_, i) => {
  const conversationId = `conv_${prefix}_${(i * 7919).toString(16).padStart(8, '0')}${i.toString(16).padStart(6, '0')}`;
  const key = `post_call_transcription:${conversationId}`;
  const payload = postCallExample(conversationId);
  return { key, payload: JSON.stringify(payload), caller: callerHashFor(payload.type, payload.data, key) };
});
await db.query(
  `INSERT INTO webhook_events (event_type, dedupe_key, source, payload, status, received_at, next_attempt_at, caller_hash)
   SELECT 'post_call_transcription', r.key, 'webhook', r.payload::jsonb, 'pending', now(), now(), r.caller FROM jsonb_to_recordset($1::jsonb) AS r(key text, payload text, caller int)`,
  [JSON.stringify(rows)],
);
const statements = await db.query('SELECT pg_stat_statements_reset()').then(() => true, () => false);
const started = Date.now();
server = startServer();
const left = async () => Number((await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key LIKE $1 AND status <> 'processed'`, [pattern])).rows[0].n);
let serverCpu = 0;
while ((await left()) > 0 && Date.now() - started < 300_000) {
  serverCpu = cpuSeconds(server.pid);
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const { rows: [span] } = await db.query(`SELECT min(processed_at) AS first, max(processed_at) AS last, count(*)::int AS n FROM webhook_events WHERE dedupe_key LIKE $1 AND status = 'processed'`, [pattern]);
const seconds = (new Date(span.last) - new Date(span.first)) / 1000;
console.log(`processed ${span.n} of ${N} in ${seconds.toFixed(1)} s: ${Math.round(span.n / seconds)} events/s; server CPU ${serverCpu.toFixed(1)} s (with start-up)`);
if (statements) {
  const top = await db.query(`SELECT calls, round(total_exec_time::numeric) AS ms, round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS statement
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20`);
  console.table(top.rows);
}
await stopServer(server);
await db.end();
