// npm run bench: builds, then measures the built server (dist/src/main.js, as `npm start` runs it) in its own
// process against a throwaway embedded PostgreSQL and the fake ElevenLabs, beside a bare node:http server
// answering the same JSON, all on 127.0.0.1. Each scenario is bounded: BENCH_SECONDS (default 5) at
// BENCH_CONNECTIONS (default 50); BENCH_ONLY=a,b picks feature scenarios. Feature scenarios live in bench/<feature>.mjs and export run(context).
import autocannon from 'autocannon';
import { fork, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';

const root = new URL('..', import.meta.url).pathname;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const secret = 'bench-jwt-secret';
const webhookSecret = 'wsec_bench_secret';
const initSecret = 'bench-init-secret';

const { EmbeddedDatabase } = await import(join(root, 'dist/src/database/embedded-database.js'));

const tmp = mkdtempSync(join(tmpdir(), 'convai-bench-'));
chmodSync(tmp, 0o755);
const database = new EmbeddedDatabase({ dir: join(tmp, 'db'), port: 53000 + Math.floor(Math.random() * 900), persistent: false });
const children = [];
const fake = await startFake();

/** The fake ElevenLabs in its own process; `fake.delayMs = n` reaches it over IPC before the next scenario. */
async function startFake() {
  const child = fork(join(root, 'bench/fake-elevenlabs-process.mjs'), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  const { url, apiKey } = await new Promise((resolve) => child.once('message', resolve));
  let delayMs = 0;
  return {
    url,
    apiKey,
    get delayMs() {
      return delayMs;
    },
    set delayMs(value) {
      delayMs = value;
      child.send({ delayMs: value });
    },
    stop: async () => child.connected && child.disconnect(),
  };
}

async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.on('exit', r)) : null)));
  await fake.stop();
  await database.stop();
  rmSync(tmp, { recursive: true, force: true });
}

function spawnNode(args, env) {
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

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

/** One bounded autocannon run; returns requests/s (mean) and p99 latency in ms. */
export async function load(options) {
  const result = await autocannon({ connections, duration: seconds, ...options });
  const failures = result.non2xx + result.errors + result.timeouts;
  return { requestsPerSec: Math.round(result.requests.average), p99Ms: result.latency.p99, requests: result.requests.total, failures };
}

try {
  const databaseUrl = await database.start();
  const port = 45000 + Math.floor(Math.random() * 1000);
  const barePort = port + 1;
  const baseUrl = `http://127.0.0.1:${port}`;
  // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (written when it stops).
  spawnNode([...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'dist/src/main.js'], {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: secret,
    ELEVENLABS_API_KEY: fake.apiKey,
    ELEVENLABS_API_BASE_URL: fake.url,
    ELEVENLABS_AGENT_ID: 'agent_bench',
    ELEVENLABS_PHONE_NUMBER_ID: 'phnum_bench',
    ELEVENLABS_WEBHOOK_SECRET: webhookSecret,
    CONVERSATION_INIT_SECRET: initSecret,
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // The rate limits would answer most of the bench's requests 429: the bench measures the routes behind them.
    RATE_LIMIT_CONVERSATION_START: '1000000',
    RATE_LIMIT_SIGNED_URL: '1000000',
    RATE_LIMIT_TOKEN_SIGN_IN: '1000000',
    // e.g. BENCH_SERVER_ENV='{"WEBHOOK_CONCURRENCY":"8"}' tries a setting.
    ...(process.env.BENCH_SERVER_ENV ? JSON.parse(process.env.BENCH_SERVER_ENV) : {}),
  });
  // The bare baseline: same JSON body as /api/health, no framework, no database.
  spawnNode(['bench/bare-health-server.mjs'], { PORT: String(barePort) });
  await waitForHttp(`${baseUrl}/api/health`);
  await waitForHttp(`http://127.0.0.1:${barePort}/api/health`);

  console.log(`convai-rooms bench: ${seconds}s per scenario, ${connections} connections, 127.0.0.1, node ${process.version}\n`);
  const rows = [];
  const bare = await load({ url: `http://127.0.0.1:${barePort}/api/health` });
  rows.push({ scenario: 'bare node:http, same health JSON', ...bare });
  const health = await load({ url: `${baseUrl}/api/health` });
  rows.push({ scenario: 'GET /api/health (database ping)', ...health, ratio: health.requestsPerSec / bare.requestsPerSec });

  const token = (claims) => jwt.sign({ name: 'Bench Person', role: 'user', ...claims }, secret, { algorithm: 'HS256', expiresIn: '1h' });
  const context = {
    baseUrl, databaseUrl, webhookSecret, initSecret, fake, load, seconds, connections, autocannon, durationSeconds: seconds,
    adminToken: token({ sub: 'bench-admin', role: 'admin', name: 'Bench Admin' }),
    userToken: token({ sub: 'bench-user' }),
    healthRequestsPerSec: health.requestsPerSec,
    bareRequestsPerSec: bare.requestsPerSec,
  };
  // BENCH_ONLY=webhooks,rooms runs only those feature scenarios (the health baseline always runs).
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  for (const feature of ['rooms', 'webhooks', 'insights', 'dashboard', 'scheduling']) {
    const file = join(root, `bench/${feature}.mjs`);
    if (!existsSync(file) || (only && !only.includes(feature))) continue;
    const { run } = await import(file);
    const result = await run(context);
    // A feature returns its rows, or { rows, … }; a row may carry its own ratio (and what it is a ratio of).
    const featureRows = (Array.isArray(result) ? result : result.rows).map((row) => ({
      ...row,
      requests: row.requests ?? row.total,
      failures: row.failures ?? (row.non2xx ?? 0) + (row.errors ?? 0),
    }));
    rows.push(...featureRows);
  }

  console.table(
    rows.map((row) => ({
      scenario: row.scenario,
      'req/s': row.requestsPerSec,
      'p99 ms': row.p99Ms ?? '',
      requests: row.requests,
      'non-2xx/errors': row.failures,
      ratio: row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}${row.ratioOf ? ` of ${row.ratioOf}` : ' of bare'}`,
    })),
  );
  for (const row of rows) if (row.note) console.log(`${row.scenario}: ${row.note}`);
} finally {
  await cleanup();
}
