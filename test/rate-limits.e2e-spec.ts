import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WebSocket } from 'ws';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { bearer, tokenFor, uniqueSub } from './support/factories.js';
import { type TestApp, TEST_WEBHOOK_SECRET, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

const WINDOW_SECONDS = 60;
const LIMITS = { signIn: 3, ws: 3, start: 2, signedUrl: 2, tools: 3 };

describe('rate limits (e2e)', () => {
  let t: TestApp;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      listen: true,
      env: {
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        RATE_LIMIT_TOKEN_SIGN_IN: String(LIMITS.signIn),
        RATE_LIMIT_WS_HANDSHAKE: String(LIMITS.ws),
        RATE_LIMIT_CONVERSATION_START: String(LIMITS.start),
        RATE_LIMIT_SIGNED_URL: String(LIMITS.signedUrl),
        RATE_LIMIT_TOOLS: String(LIMITS.tools),
      },
    });
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await t.close();
  });

  /** The 429 every throttled HTTP route answers: the error shape and a Retry-After within the window. */
  function expectTooMany(response: request.Response): void {
    expect(response.status).toBe(429);
    expect(response.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^too many requests: try again in \d+ s$/) });
    const retryAfter = Number(response.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= WINDOW_SECONDS).toBe(true);
  }

  const person = () => bearer(tokenFor({ sub: uniqueSub('rl') }));
  const start = (auth: { Authorization: string }) => request(t.http).post('/api/conversations').set(auth).send({});

  it('limits conversation starts per user; another user is not affected', async () => {
    const alice = person();
    for (let i = 0; i < LIMITS.start; i++) expect((await start(alice)).status).toBe(201);
    expectTooMany(await start(alice));
    expect((await start(person())).status).toBe(201);
  }, 30_000);

  it('limits signed-URL refreshes per user; another user is not affected', async () => {
    const alice = person();
    const bob = person();
    const aliceConversation = (await start(alice).expect(201)).body.conversationId;
    const bobConversation = (await start(bob).expect(201)).body.conversationId;
    const refresh = (auth: { Authorization: string }, id: string) => request(t.http).post(`/api/conversations/${id}/signed-url`).set(auth);
    for (let i = 0; i < LIMITS.signedUrl; i++) expect((await refresh(alice, aliceConversation)).status).toBe(200);
    expectTooMany(await refresh(alice, aliceConversation));
    expect((await refresh(bob, bobConversation)).status).toBe(200);
  }, 30_000);

  it('limits the tools per tool token (header or Bearer); another token is not affected', async () => {
    const aliceToken = (await start(person()).expect(201)).body.dynamicVariables.secret__tool_token as string;
    const bobToken = (await start(person()).expect(201)).body.dynamicVariables.secret__tool_token as string;
    const history = (headers: Record<string, string>) => request(t.http).post('/api/tools/user-history').set(headers).send({});
    for (let i = 0; i < LIMITS.tools - 1; i++) expect((await history({ 'X-Convai-Tool-Token': aliceToken })).status).toBe(200);
    // The same token as a Bearer value counts against the same limit.
    expect((await history({ Authorization: `Bearer ${aliceToken}` })).status).toBe(200);
    expectTooMany(await history({ 'X-Convai-Tool-Token': aliceToken }));
    expect((await history({ 'X-Convai-Tool-Token': bobToken })).status).toBe(200);
  }, 30_000);

  it('limits ?token= sign-ins per client address', async () => {
    const signIn = () => request(t.http).get(`/me?token=${tokenFor({ sub: uniqueSub('rl') })}`).set('Accept', 'application/json');
    for (let i = 0; i < LIMITS.signIn; i++) expect((await signIn()).status).toBe(303);
    expectTooMany(await signIn());
    // A browser gets the HTML error page, with the same status and header.
    const page = await request(t.http).get(`/me?token=${tokenFor({ sub: uniqueSub('rl') })}`).set('Accept', 'text/html');
    expect(page.status).toBe(429);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toMatch(/too many requests: try again in \d+ s/);
    expect(Number(page.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A page visit without ?token= is not a sign-in attempt and is not throttled here.
    expect((await request(t.http).get('/me').set(bearer(tokenFor()))).status).not.toBe(429);
  });

  it('refuses WebSocket handshakes past the limit per client address with 429 and Retry-After', async () => {
    const wsUrl = `${t.url.replace(/^http/, 'ws')}/ws?token=${tokenFor({ sub: uniqueSub('rl') })}`;
    const handshake = () =>
      new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
        const socket = new WebSocket(wsUrl);
        sockets.push(socket);
        socket.on('open', () => resolve({ status: 101 }));
        socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string }));
        socket.on('error', (error) => (socket.readyState === WebSocket.CLOSED ? undefined : reject(error)));
      });
    for (let i = 0; i < LIMITS.ws; i++) expect((await handshake()).status).toBe(101);
    const refused = await handshake();
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
  });

  it('never throttles webhooks, POST /api/calls or health, however many deliveries arrive', async () => {
    const deliver = (path: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      return request(t.http).post(path).set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body);
    };
    const many = 10 * Math.max(...Object.values(LIMITS));
    const statuses: number[] = [];
    for (let i = 0; i < many; i++) statuses.push((await deliver('/api/webhooks/elevenlabs', examplePostCallTranscription(`conv_rl_${randomUUID()}`))).status);
    for (let i = 0; i < 10; i++) {
      const call = { call_id: `call_rl_${randomUUID()}`, agent_id: 'agent_rl', started_at: '2026-01-05T10:00:00Z', ended_at: '2026-01-05T10:03:00Z', duration_seconds: 180, transcript: 'Agent: Hello.' };
      statuses.push((await deliver('/api/calls', call)).status);
    }
    for (let i = 0; i < many; i++) statuses.push((await request(t.http).get('/api/health')).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});
