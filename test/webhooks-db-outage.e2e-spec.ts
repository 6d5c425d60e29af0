import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EmbeddedDatabase } from '../src/database/embedded-database.js';
import { FakeElevenLabs, wireConversation } from './support/fake-elevenlabs.js';
import { type ServerProcess, buildIfNeeded, eventually, freePort, startServer } from './support/server-process.js';
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

const OUTAGE_MS = 10_000;
const SENDERS = 4;
const PAUSE_MS = 40;

interface Delivery {
  conversationId: string;
  status: number;
  retryAfter: string | null;
  body: string;
}

/**
 * The real server (dist/src/main.js) on its own PostgreSQL, which is stopped for 10 s during a steady stream of
 * deliveries: each is answered 200 (stored) or 503 with Retry-After (not stored), never 500; health says the
 * database is down; once it is back the same process stores deliveries again, and the reconciler brings in every
 * conversation whose delivery got a 503 (ElevenLabs does not retry).
 */
describe('webhooks while PostgreSQL is down (e2e)', () => {
  const fake = new FakeElevenLabs();
  const root = mkdtempSync(join(tmpdir(), 'convai-outage-'));
  let database: EmbeddedDatabase;
  let server: ServerProcess;
  let port: number;
  let db: DataSource;
  let sending = false;

  beforeAll(async () => {
    buildIfNeeded();
    chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, which must reach the data folder
    database = new EmbeddedDatabase({ dir: join(root, 'db'), port: await freePort(), databaseName: 'outage' });
    const url = await database.start();
    await fake.start();
    port = await freePort();
    server = startServer({
      DATABASE_URL: url,
      PORT: String(port),
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      ELEVENLABS_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      ELEVENLABS_API_KEY: fake.apiKey,
      ELEVENLABS_API_BASE_URL: fake.url,
      ELEVENLABS_AGENT_ID: 'agent_test',
      SCHEDULER_ENABLED: 'true',
      SCHEDULER_INTERVAL_MS: '200',
      RECONCILE_INTERVAL_MS: '1000',
    });
    await eventually('the server to answer', async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; its output:\n${server.output()}`);
    });
    db = new DataSource({ type: 'postgres', url });
  }, 180_000);

  afterAll(async () => {
    sending = false;
    server?.child.kill('SIGKILL');
    await server?.exited;
    if (db?.isInitialized) await db.destroy();
    await database?.stop().catch(() => undefined);
    await fake.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`);
    return { status: response.status, body: await response.text() };
  };

  /** A conversation ends at ElevenLabs (it is listed there from now on) and its webhook is sent once. */
  const deliverOne = async (): Promise<Delivery> => {
    const conversationId = `conv_outage_${randomUUID().slice(0, 12)}`;
    const data = wireConversation({ conversation_id: conversationId });
    fake.addConversation(data);
    const body = JSON.stringify({ type: 'post_call_transcription', event_timestamp: Math.floor(Date.now() / 1000), data });
    const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/elevenlabs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'elevenlabs-signature': signWebhook(body, TEST_WEBHOOK_SECRET) },
      body,
    });
    return { conversationId, status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
  };

  it('answers 503 with Retry-After while the database is down, recovers without a restart, and the reconciler brings in what got 503', async () => {
    const deliveries: Delivery[] = [];
    sending = true;
    const senders = Array.from({ length: SENDERS }, async () => {
      while (sending) {
        deliveries.push(await deliverOne());
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    });
    const pid = server.child.pid;

    await eventually('deliveries to be stored', async () => deliveries.filter((d) => d.status === 200).length >= 20);
    await database.stop();
    const stoppedAt = Date.now();
    const healthDown = await eventually('health to say the database is down', async () => {
      const answer = await health();
      return answer.status === 503 ? answer : undefined;
    });
    await eventually('a delivery answered 503', async () => deliveries.some((d) => d.status === 503));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    await database.start();
    const backAt = deliveries.length;
    await eventually('health to recover', async () => (await health()).status === 200, 30_000);
    await eventually('deliveries to be stored again', async () => deliveries.slice(backAt).filter((d) => d.status === 200).length >= 20, 30_000);
    sending = false;
    await Promise.all(senders);

    // The same process throughout, and never a 500: each delivery is stored (200) or refused for a retry (503).
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
    expect(healthDown.body).toContain('database');
    expect(deliveries.filter((d) => d.status !== 200 && d.status !== 503)).toEqual([]);
    const refused = deliveries.filter((d) => d.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((d) => d.retryAfter !== '5')).toEqual([]);
    expect(JSON.parse(refused[0].body)).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'database_unavailable' });

    // Every conversation ends up with one summary: the stored deliveries processed, the refused ones reconciled.
    await db.initialize();
    const ids = deliveries.map((d) => d.conversationId);
    const summaries = async () =>
      (await db.query(`SELECT conversation_id, source, count(*) OVER (PARTITION BY conversation_id)::int AS n FROM conversation_summaries WHERE conversation_id = ANY($1)`, [ids])) as Array<{
        conversation_id: string;
        source: string;
        n: number;
      }>;
    await eventually('every conversation to have its summary', async () => (await summaries()).length === ids.length, 90_000).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${(await summaries()).length} of ${ids.length}; server output:\n${server.output().slice(-3000)}`);
    });
    const byId = new Map((await summaries()).map((row) => [row.conversation_id, row]));
    expect([...byId.values()].filter((row) => row.n !== 1)).toEqual([]);
    expect(refused.filter((d) => byId.get(d.conversationId)?.source !== 'reconciler')).toEqual([]);
    const stored: Array<{ n: number }> = await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key = ANY($1)`, [
      deliveries.filter((d) => d.status === 200).map((d) => `post_call_transcription:${d.conversationId}`),
    ]);
    expect(stored[0].n).toBe(deliveries.filter((d) => d.status === 200).length);
  }, 240_000);
});
