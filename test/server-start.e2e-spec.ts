import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { FakeElevenLabs } from './support/fake-elevenlabs.js';
import { type ServerProcess, buildIfNeeded, freePort, startServer } from './support/server-process.js';

/** What a newcomer does: `npm start` with no DATABASE_URL, on the embedded PostgreSQL. */
describe('the server as `npm start` runs it (built, embedded database)', () => {
  let root: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    buildIfNeeded();
    root = mkdtempSync(join(tmpdir(), 'convai-start-'));
    chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, which must reach the data folder
    env = {
      PORT: String(await freePort()),
      EMBEDDED_DB_DIR: join(root, 'data/db'),
      // Free ports, not random ones: a random port in the ephemeral range can be some client socket's.
      EMBEDDED_DB_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
    };
  }, 120_000);

  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    server = undefined;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const base = () => `http://127.0.0.1:${env.PORT}`;

  async function signInWith(link: string): Promise<{ cookie: string; page: Response }> {
    const url = new URL(link);
    const redirect = await fetch(`${base()}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const cookie = (redirect.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^access_token=ey/);
    const page = await fetch(`${base()}${redirect.headers.get('location')}`, { headers: { cookie, accept: 'text/html' } });
    return { cookie, page };
  }

  it('starts on the embedded database, answers health, prints links that open the room page and the dashboard; data survives a restart', async () => {
    server = startServer(env);
    const [, roomLink] = await server.waitFor(/room page:\s+(\S+)/, 60_000);
    const [, adminLink] = await server.waitFor(/admin dashboard:\s+(\S+)/);
    expect(server.output()).toMatch(/embedded PostgreSQL listening on 127\.0\.0\.1/);

    const health = await fetch(`${base()}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });

    // A fresh install has no ElevenLabs agent: the room still opens and says what to set.
    const room = await signInWith(roomLink);
    expect(room.page.status).toBe(200);
    const roomHtml = await room.page.text();
    expect(roomHtml).toContain('Welcome');
    expect(roomHtml).toMatch(/not set up yet: no ElevenLabs agent is configured: set .*ELEVENLABS_AGENT_ID/);
    expect(roomHtml).not.toContain('<elevenlabs-convai');
    const admin = await signInWith(adminLink);
    expect(admin.page.status).toBe(200);

    // The log must not carry the sign-in tokens (they are printed once, to the terminal, as links).
    const token = new URL(roomLink).searchParams.get('token')!;
    expect(server.output().split('\n').filter((line) => line.startsWith('{') && line.includes(token))).toEqual([]);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    server = startServer(env);
    await server.waitFor(/room page:/, 60_000);
    expect(server.output()).not.toMatch(/initialising embedded PostgreSQL/); // same data folder, no new cluster
    // The first run's links still work: same key, same seeded rows.
    const again = await signInWith(roomLink);
    expect(again.page.status).toBe(200);
    expect(await again.page.text()).toContain('Welcome');
  }, 120_000);

  it('recovers after being killed with SIGKILL: the orphaned PostgreSQL is stopped with a log line and the server starts', async () => {
    server = startServer(env);
    await server.waitFor(/room page:/, 60_000);
    server.child.kill('SIGKILL');
    await server.exited;
    server = startServer(env);
    await server.waitFor(/room page:/, 60_000);
    expect(server.output()).toMatch(/stopping a PostgreSQL \(pid \d+\) left running by an earlier server/);
    expect((await fetch(`${base()}/api/health`)).status).toBe(200);
  }, 120_000);

  it('on SIGTERM finishes the request in flight, then exits 0 and stops PostgreSQL', async () => {
    const fake = await new FakeElevenLabs().start();
    fake.delayMs = 1500; // the signed-URL call keeps POST /api/conversations in flight
    try {
      server = startServer({ ...env, AUTH_JWT_SECRET: 'shutdown-test-secret', ELEVENLABS_API_KEY: fake.apiKey, ELEVENLABS_API_BASE_URL: fake.url, ELEVENLABS_AGENT_ID: 'agent_shutdown' });
      await server.waitFor(/room page:/, 60_000);
      const token = jwt.sign({ sub: 'shutdown-person', name: 'Shut Down' }, 'shutdown-test-secret', { expiresIn: '5m' });
      const inFlight = fetch(`${base()}/api/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      // Wait until the request is waiting on ElevenLabs (the SDK may still be loading right after start).
      for (let i = 0; i < 200 && fake.requestsTo(/get-signed-url/).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fake.requestsTo(/get-signed-url/)).toHaveLength(1);
      server.child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ signedUrl: expect.stringMatching(/^wss:/), isResumed: false });
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/SIGTERM received, finishing in-flight requests/);
      await expect(fetch(`${base()}/api/health`)).rejects.toThrow(); // no longer listening
      const postgresAnswers = await new Promise<boolean>((resolve) => {
        const socket = connect(Number(env.EMBEDDED_DB_PORT), '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      expect(postgresAnswers).toBe(false); // the embedded PostgreSQL was stopped with the server
    } finally {
      await fake.stop();
    }
  }, 90_000);

  it.each([
    [{ PORT: 'abc' }, /^convai-rooms: Invalid configuration: PORT must be an integer/m],
    [{ DATABASE_URL: 'not-a-url' }, /^convai-rooms: Invalid configuration: DATABASE_URL is not a valid URL/m],
    [{ NODE_ENV: 'production' }, /DATABASE_URL, AUTH_JWT_SECRET or AUTH_JWKS_URL, ELEVENLABS_WEBHOOK_SECRET must be set when NODE_ENV=production/],
  ])('refuses to start with %j and names the variable in one line', async (bad, message) => {
    server = startServer({ ...env, ...bad });
    expect(await server.exited).toBe(1);
    expect(server.output().trim().split('\n')).toHaveLength(1);
    expect(server.output()).toMatch(message);
  }, 30_000);

  // Only as root does PostgreSQL run as another user (`postgres`) that may not reach the data folder; as any
  // other user the folder is its own, so there is nothing to explain. CI runs as root.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('explains which folder blocks the embedded database when PostgreSQL cannot reach it', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'convai-closed-')); // mode 0700
    server = startServer({ ...env, EMBEDDED_DB_DIR: join(closed, 'data/db') });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(new RegExp(`${closed} is not searchable by others \\(mode 700\\)`));
    rmSync(closed, { recursive: true, force: true });
  }, 30_000);

  it('gives up on an unreachable DATABASE_URL after its retries, with a clear message', async () => {
    server = startServer({ ...env, DATABASE_URL: 'postgres://nobody:x@127.0.0.1:9/none', DATABASE_CONNECT_RETRIES: '2' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/convai-rooms: cannot start: .*\(is the database at DATABASE_URL reachable\?\)/);
  }, 60_000);
});
