import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { PROJECT_ROOT } from '../src/config/app-version.js';
import { type ServerProcess, buildIfNeeded, freePort, startServer } from './support/server-process.js';

const run = promisify(execFile);

/** What a newcomer does: `npm start` on a fresh data folder, then `npm run simulate`; the admin views fill up. */
describe('npm run simulate against a fresh server (e2e)', () => {
  let root: string;
  let env: Record<string, string>;
  let server: ServerProcess;

  beforeAll(async () => {
    buildIfNeeded();
    root = mkdtempSync(join(tmpdir(), 'convai-simulate-'));
    chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, which must reach the data folder
    env = {
      PORT: String(await freePort()),
      EMBEDDED_DB_DIR: join(root, 'data/db'),
      EMBEDDED_DB_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
    };
    server = startServer(env); // no ELEVENLABS_WEBHOOK_SECRET, no AUTH_JWT_SECRET: both generated into the data folder
    await server.waitFor(/admin dashboard:/, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(root, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${env.PORT}`;
  const admin = () => ({ authorization: `Bearer ${jwt.sign({ sub: 'admin', role: 'admin' }, readFileSync(join(root, 'data/jwt-secret'), 'utf8').trim(), { expiresIn: '5m' })}` });
  const getJson = async (path: string) => {
    const response = await fetch(`${base()}${path}`, { headers: admin() });
    expect(response.status).toBe(200);
    return response.json() as Promise<{ items: Array<Record<string, unknown>>; nextCursor: string | null } & Record<string, unknown>>;
  };

  it('the first start generates a dev webhook secret (0600) in the data folder', () => {
    const file = join(root, 'data/webhook-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^wsec_dev_[0-9a-f]{64}$/);
    expect(server.output()).not.toContain(readFileSync(file, 'utf8')); // never printed
  });

  it('sends signed calls and failures through the real routes, signed with the server secret; everything is processed and stored', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'simulate', '--', '--url', base(), '--calls', '12', '--days', '5', '--people', '3', '--seed', '42'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', EMBEDDED_DB_DIR: env.EMBEDDED_DB_DIR },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/sent 13 signed deliveries/); // 12 finished calls + 1 failure on top
    expect(stdout).toMatch(/secret from .*webhook-secret/);
    expect(stdout).toContain('3 people signed in as users');
    expect(stdout).toContain('all deliveries processed');
    expect(stdout).toContain(`${base()}/admin`);
    const transcriptions = Number(/(\d+) post_call_transcription/.exec(stdout)![1]);
    const summaries = Number(/(\d+) call summaries/.exec(stdout)![1]);
    expect(transcriptions + summaries).toBe(12);

    const events = await getJson('/api/webhooks/events?limit=100');
    expect(events.items).toHaveLength(13);
    expect(events.items.map((e) => e.status)).toEqual(Array(13).fill('processed'));
    expect(events.items.filter((e) => e.eventType === 'call_initiation_failure')).toHaveLength(1);
    expect(events.items.filter((e) => e.eventType === 'call_summary')).toHaveLength(summaries);

    // Each post_call_transcription becomes a conversation of a known (signed-in) person.
    const conversations = await getJson('/api/conversations?limit=100');
    expect(conversations.items).toHaveLength(transcriptions);
    expect(conversations.items.every((c) => typeof c.userId === 'string' && c.status === 'ended')).toBe(true);
    const startedAt = conversations.items.map((c) => Date.parse(String(c.startedAt)));
    expect(Math.min(...startedAt)).toBeGreaterThan(Date.now() - 6 * 86_400_000);
    expect(new Set(startedAt.map((t) => new Date(t).toISOString().slice(0, 10))).size).toBeGreaterThan(1); // spread over days

    // The dashboard fills: every finished call in its list with varied outcomes, and in the KPIs and chart of the range.
    const calls = (await getJson('/api/calls?limit=100')) as unknown as { items: Array<{ outcome: string | null; userId: string | null }> };
    expect(calls.items).toHaveLength(12);
    expect(new Set(calls.items.map((c) => c.outcome)).size).toBeGreaterThan(2);
    expect(calls.items.every((c) => c.userId)).toBe(true);
    const dashboard = (await getJson(`/api/dashboard?from=${new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10)}&tz=UTC`)) as unknown as {
      callsPerDay: Array<{ count: number }>;
      outcomes: Record<string, number>;
    };
    expect(dashboard.callsPerDay.reduce((sum, day) => sum + day.count, 0)).toBe(12);
    expect(Object.values(dashboard.outcomes).reduce((sum, count) => sum + count, 0)).toBe(12);
  }, 150_000);

  it('a wrong secret is refused by the server and the script says so', async () => {
    const failed = await run('npm', ['run', '-s', 'simulate', '--', '--url', base(), '--calls', '1', '--secret', 'wsec_wrong'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', EMBEDDED_DB_DIR: env.EMBEDDED_DB_DIR },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/refused the signature \(401\).*--secret/);
  }, 60_000);
});
