import { randomUUID } from 'node:crypto';
import request from 'supertest';
import WebSocket from 'ws';
import { RealtimeEventsService } from '../src/conversations/realtime-events.service.js';
import { ActivityService } from '../src/dashboard/activity.service.js';
import { IngestPostCallEvent } from '../src/webhooks/usecases/ingest-post-call-event.js';
import { LISTENER_APPLICATION_NAME, RealtimeListener } from '../src/realtime/realtime-listener.js';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { adminToken, bearer, tokenFor, uniqueSub } from './support/factories.js';
import { type ServerProcess, buildIfNeeded, eventually, freePort, startServer } from './support/server-process.js';
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET, type TestApp, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** A WebSocket client that keeps every frame it receives. */
class Client {
  readonly frames: Frame[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => this.frames.push(JSON.parse(raw.toString()) as Frame));
  }

  async next(event: string, match: (frame: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.find((f) => f.event === event && match(f));
      if (frame) return frame;
      if (Date.now() > deadline) throw new Error(`no ${event} within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * Two instances on one PostgreSQL: A is the in-process app, B the built server (`node dist/src/main.js`) as a
 * child process (two Nest apps in one jest process would share passport's global strategies).
 */
describe('realtime events across instances (e2e)', () => {
  let a: TestApp;
  let b: ServerProcess;
  let bUrl: string;
  const sockets: WebSocket[] = [];

  const connect = async (baseUrl: string, token: string): Promise<Client> => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${token}`);
    const client = new Client(socket);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  };
  const listeners = (): Promise<Array<{ pid: number }>> =>
    a.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [LISTENER_APPLICATION_NAME]);
  const postWebhook = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return request(a.http).post('/api/webhooks/elevenlabs').set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body);
  };

  beforeAll(async () => {
    buildIfNeeded();
    a = await createTestApp({ listen: true });
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = startServer({
      DATABASE_URL: process.env.DATABASE_URL!,
      PORT: String(port),
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      ELEVENLABS_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SCHEDULER_ENABLED: 'false',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    });
    await eventually('instance B to answer', async () => (await fetch(`${bUrl}/api/health`)).ok, 60_000);
    await eventually('both instances to listen', async () => (await listeners()).length >= 2);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    if (b && b.child.exitCode === null) {
      b.child.kill('SIGTERM');
      await b.exited;
    }
    await a?.close();
  });

  it('a webhook processed by instance A reaches an admin socket on instance B (call_created and activity_created), once', async () => {
    const onB = await connect(bUrl, adminToken());
    const onA = await connect(a.url, adminToken());
    const conversationId = `conv_rt_${randomUUID().replace(/-/g, '')}`;
    expect((await postWebhook(examplePostCallTranscription(conversationId))).status).toBe(200);

    for (const client of [onB, onA]) {
      const created = await client.next('call_created', (f) => f.data.conversationId === conversationId);
      expect(created.data).toMatchObject({ id: expect.any(String), conversationId, source: 'webhook', outcome: expect.any(String) });
      const activity = await client.next('activity_created', (f) => (f.data.data as { conversationId?: string }).conversationId === conversationId);
      expect(activity.data).toMatchObject({ type: 'call_completed', title: expect.stringContaining('Call finished') });
      // The event names its row: the same id and time as the feed's.
      const [row] = await a.dataSource.query(`SELECT id, created_at FROM activity_events WHERE data->>'conversationId' = $1 AND type = 'call_completed'`, [conversationId]);
      expect(activity.data).toMatchObject({ id: row.id, createdAt: row.created_at.toISOString() });
    }
    const [summary] = await a.dataSource.query(`SELECT id FROM conversation_summaries WHERE conversation_id = $1`, [conversationId]);
    expect((await onB.next('call_created', (f) => f.data.conversationId === conversationId)).data.id).toBe(summary.id);

    // The same conversation processed again (as the reconciler would) is not a new call.
    const ingest = a.app.get(IngestPostCallEvent);
    await a.dataSource.transaction((manager) => ingest.execute(examplePostCallTranscription(conversationId).data, 'reconciler', manager));
    await onB.next('activity_created', (f) => (f.data.data as { conversationId?: string; source?: string }).conversationId === conversationId && (f.data.data as { source?: string }).source === 'reconciler');
    expect(onB.frames.filter((f) => f.event === 'call_created' && f.data.conversationId === conversationId)).toHaveLength(1);
  });

  it('person-level events reach that person on the other instance, and no one else', async () => {
    const sub = uniqueSub();
    const mineOnB = await connect(bUrl, tokenFor({ sub }));
    const someoneElseOnB = await connect(bUrl, tokenFor());
    const started = await request(a.http).post('/api/conversations').set(bearer(tokenFor({ sub }))).send({});
    expect(started.body).toMatchObject({ conversationId: expect.any(String) });
    const frame = await mineOnB.next('conversation_started', (f) => f.data.conversationId === started.body.conversationId);
    expect(frame.data).not.toHaveProperty('signedUrl');
    const ended = await request(a.http).post(`/api/conversations/${started.body.conversationId}/end`).set(bearer(tokenFor({ sub })));
    expect(ended.status).toBeLessThan(300);
    expect((await mineOnB.next('conversation_ended', (f) => f.data.conversationId === started.body.conversationId)).data.status).toBe('ended');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(someoneElseOnB.frames).toEqual([]);
  }, 20_000);

  it('an event whose transaction rolls back reaches nobody, on either instance; the next committed one does', async () => {
    const onB = await connect(bUrl, adminToken());
    const onA = await connect(a.url, adminToken());
    const activity = a.app.get(ActivityService);
    const realtime = a.app.get(RealtimeEventsService);
    const probe = randomUUID();
    await expect(
      a.dataSource.transaction(async (manager) => {
        await activity.record('rollback_probe', 'Never happened', { probe }, manager);
        await realtime.toAdmins('task_updated', { id: probe, status: 'completed', padding: 'x'.repeat(20_000) }, manager); // via the outbox
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await activity.record('commit_probe', 'Happened', { probe });

    // Notifications arrive in commit order: once the later commit is seen, an earlier one would have been too.
    for (const client of [onA, onB]) {
      await client.next('activity_created', (f) => f.data.type === 'commit_probe' && (f.data.data as { probe?: string }).probe === probe);
      expect(client.frames.filter((f) => f.data.type === 'rollback_probe' || f.data.id === probe)).toEqual([]);
    }
    expect(await a.dataSource.query(`SELECT 1 FROM activity_events WHERE type = 'rollback_probe' AND data->>'probe' = $1`, [probe])).toEqual([]);
    expect(await a.dataSource.query(`SELECT 1 FROM realtime_outbox WHERE payload->'data'->>'id' = $1`, [probe])).toEqual([]);
  });

  it('carries a payload over the NOTIFY limit (8000 bytes) through the outbox, intact', async () => {
    const onB = await connect(bUrl, adminToken());
    const id = randomUUID();
    const padding = 'é'.repeat(12_000); // 24,000 bytes in UTF-8
    await a.app.get(RealtimeEventsService).toAdmins('task_updated', { id, status: 'failed', padding });
    const frame = await onB.next('task_updated', (f) => f.data.id === id);
    expect(frame.data).toEqual({ id, status: 'failed', padding });
    expect(await a.dataSource.query(`SELECT 1 FROM realtime_outbox WHERE payload->'data'->>'id' = $1`, [id])).toHaveLength(1);
  });

  it('each instance listens again after its LISTEN connection is terminated (pg_terminate_backend)', async () => {
    const onB = await connect(bUrl, adminToken());
    const onA = await connect(a.url, adminToken());
    const before = (await listeners()).map((row) => row.pid);
    expect(before).toContain(a.app.get(RealtimeListener).backendPid);
    const terminated: Array<{ ok: boolean }> = await a.dataSource.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [LISTENER_APPLICATION_NAME],
    );
    expect(terminated.length).toBeGreaterThanOrEqual(2);
    await eventually('both instances to listen again on new connections', async () => {
      const now = (await listeners()).map((row) => row.pid);
      return now.length >= 2 && now.every((pid) => !before.includes(pid));
    });
    await a.app.get(RealtimeListener).whenListening();

    const conversationId = `conv_rt_${randomUUID().replace(/-/g, '')}`;
    expect((await postWebhook(examplePostCallTranscription(conversationId))).status).toBe(200);
    for (const client of [onA, onB]) await client.next('call_created', (f) => f.data.conversationId === conversationId, 10_000);
    expect(b.output()).toMatch(/realtime LISTEN connection lost/);
  }, 30_000);
});
