import request from 'supertest';
import WebSocket from 'ws';
import { ConversationMessage } from '../src/conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../src/conversations/entities/conversation-session.entity.js';
import { RealtimeEventsService } from '../src/conversations/realtime-events.service.js';
import { ActivityService } from '../src/dashboard/activity.service.js';
import { adminToken, bearer, createRoom, tokenFor } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** A test client that keeps every frame it receives. */
class Client {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.frames.push(JSON.parse(raw.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  send(event: string, data: unknown): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  async next(event: string, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f) => f.event === event);
      if (index >= 0) return this.frames.splice(index, 1)[0];
      if (Date.now() > deadline) throw new Error(`no ${event} within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

describe('WebSocket /ws (e2e)', () => {
  let t: TestApp;
  const open: WebSocket[] = [];
  beforeAll(async () => {
    t = await createTestApp({ listen: true });
  });
  afterAll(async () => {
    for (const socket of open) socket.terminate();
    await t.close();
  });

  const wsUrl = (query = '') => `${t.url.replace(/^http/, 'ws')}/ws${query}`;
  async function connect(token: string, how: 'query' | 'header' | 'cookie' = 'query'): Promise<Client> {
    const socket =
      how === 'query'
        ? new WebSocket(wsUrl(`?token=${token}`))
        : new WebSocket(wsUrl(), { headers: how === 'header' ? { Authorization: `Bearer ${token}` } : { Cookie: `access_token=${token}` } });
    open.push(socket);
    const client = new Client(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      socket.on('open', () => reject(new Error('connection was accepted')));
      socket.on('error', () => undefined);
    });
  }

  it('refuses a missing, expired or forged token with 401 and the reason', async () => {
    expect(await refusal(wsUrl())).toEqual({ status: 401, body: expect.stringMatching(/missing token/) });
    expect(await refusal(wsUrl(`?token=${tokenFor({ expiresIn: -10 })}`))).toEqual({ status: 401, body: expect.stringMatching(/expired/) });
    expect(await refusal(wsUrl(), { Authorization: `Bearer ${tokenFor({ secret: 'other' })}` })).toEqual({ status: 401, body: expect.stringMatching(/signature is invalid/) });
  });

  it('accepts the token as ?token=, Authorization header or cookie', async () => {
    for (const how of ['query', 'header', 'cookie'] as const) {
      const client = await connect(tokenFor(), how);
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
    }
  });

  it('starts, records messages and ends a conversation over the socket; events reach only their person', async () => {
    const room = await createRoom(t.dataSource);
    const aliceToken = tokenFor({ name: 'Alice' });
    const alice = await connect(aliceToken);
    const aliceSecondTab = await connect(aliceToken, 'cookie');
    const bob = await connect(tokenFor({ name: 'Bob' }));
    const admin = await connect(adminToken());

    alice.send('conversation_start', { roomId: room.id, requestId: 'r1' });
    const started = await alice.next('conversation_started');
    expect(started.data).toMatchObject({ requestId: 'r1', isResumed: false, messageCount: 0, signedUrl: expect.stringMatching(/^wss:/), sessionId: expect.stringMatching(/^sess_/) });
    expect((started.data.dynamicVariables as Record<string, string>).user_name).toBe('Alice');
    const conversationId = started.data.conversationId as string;
    const row = await t.dataSource.getRepository(ConversationSession).findOneByOrFail({ id: conversationId });
    expect(row).toMatchObject({ roomId: room.id, status: 'active', channel: 'web' });

    alice.send('conversation_message', { conversationId, clientMessageId: 'm1', role: 'user', message: 'Hello over the socket' });
    alice.send('conversation_message', { conversationId, clientMessageId: 'm1', role: 'user', message: 'Hello over the socket' });
    alice.send('conversation_end', { conversationId });
    const ended = await alice.next('conversation_ended');
    expect(ended.data).toMatchObject({ conversationId, status: 'ended' });
    expect((await aliceSecondTab.next('conversation_ended')).data).toMatchObject({ conversationId, status: 'ended' });
    const messages = await t.dataSource.getRepository(ConversationMessage).findBy({ sessionId: conversationId });
    expect(messages.map((m) => m.message)).toEqual(['Hello over the socket']);
    expect((await t.dataSource.getRepository(ConversationSession).findOneByOrFail({ id: conversationId })).status).toBe('ended');

    // Ending again is fine: the caller hears conversation_ended again, nothing changes.
    alice.send('conversation_end', { conversationId, requestId: 'again' });
    expect((await alice.next('conversation_ended')).data).toMatchObject({ conversationId, status: 'ended', requestId: 'again' });

    // An API start announces itself to the person's sockets (without secrets).
    await request(t.http).post('/api/conversations').set(bearer(aliceToken)).send({ roomId: room.id }).expect(201);
    const announced = await aliceSecondTab.next('conversation_started');
    expect(announced.data).toMatchObject({ room: { id: room.id }, isResumed: false });
    expect(announced.data).not.toHaveProperty('signedUrl');
    expect(announced.data).not.toHaveProperty('dynamicVariables');

    // Bob tries Alice's conversation: 404, as over HTTP.
    bob.send('conversation_end', { conversationId });
    const denied = await bob.next('conversation_error');
    expect(denied.data).toMatchObject({ event: 'conversation_end', statusCode: 404 });

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bob.frames.filter((f) => f.event.startsWith('conversation_'))).toEqual([]);
    expect(admin.frames.filter((f) => f.event.startsWith('conversation_'))).toEqual([]);
  });

  it('answers invalid payloads with conversation_error and keeps the connection', async () => {
    const client = await connect(tokenFor());
    client.socket.send('this is not json');
    expect((await client.next('conversation_error')).data.message).toMatch(/not valid JSON/);
    client.socket.send(JSON.stringify([1, 2]));
    expect((await client.next('conversation_error')).data.message).toMatch(/must be an object/);
    client.send('launch_rockets', {});
    expect((await client.next('conversation_error')).data).toMatchObject({ event: 'launch_rockets', message: expect.stringMatching(/unknown event/) });
    client.send('conversation_message', { conversationId: 'nope', role: 'robot', message: 5 });
    const invalid = await client.next('conversation_error');
    expect(invalid.data.event).toBe('conversation_message');
    expect(invalid.data.message).toEqual(expect.arrayContaining([expect.stringMatching(/conversationId/), expect.stringMatching(/role/), expect.stringMatching(/message/)]));
    client.send('conversation_start', 'not an object');
    expect((await client.next('conversation_error')).data.message).toMatch(/needs a "data" object/);
    client.send('conversation_start', { roomId: '00000000-0000-4000-8000-000000000000' });
    expect((await client.next('conversation_error')).data).toMatchObject({ statusCode: 404 });

    // Still connected and working.
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.send('conversation_start', {});
    expect((await client.next('conversation_started')).data.conversationId).toEqual(expect.any(String));
  });

  it('sends admin events (activity_created, call_created, task_updated) to admins only', async () => {
    const admin = await connect(adminToken());
    const user = await connect(tokenFor());
    await t.app.get(ActivityService).record('test_event', 'Something happened', { n: 1 });
    expect((await admin.next('activity_created')).data).toMatchObject({ type: 'test_event', title: 'Something happened', data: { n: 1 } });
    t.app.get(RealtimeEventsService).toAdmins('call_created', { conversationId: 'conv_1' });
    t.app.get(RealtimeEventsService).toAdmins('task_updated', { id: 'task_1', status: 'completed' });
    expect((await admin.next('call_created')).data).toEqual({ conversationId: 'conv_1' });
    expect((await admin.next('task_updated')).data).toEqual({ id: 'task_1', status: 'completed' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(user.frames).toEqual([]);
  });
});
