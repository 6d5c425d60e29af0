import jwt from 'jsonwebtoken';
import request from 'supertest';
import { ConversationMessage } from '../src/conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../src/conversations/entities/conversation-session.entity.js';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { ConversationsService } from '../src/conversations/conversations.service.js';
import { PERSONALISATION_VARIABLES } from '../src/insights/personalisation.service.js';
import { ToolTokenService } from '../src/tools/tool-token.service.js';
import { User } from '../src/users/entities/user.entity.js';
import { adminToken, bearer, createRoom, tokenFor, uniqueSub } from './support/factories.js';
import { type TestApp, TEST_JWT_SECRET, createTestApp } from './support/test-app.js';

describe('conversations API (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => t.fake.reset());

  const sessions = () => t.dataSource.getRepository(ConversationSession);
  const person = (name = 'Ada Lovelace') => {
    const sub = uniqueSub();
    return { sub, auth: bearer(tokenFor({ sub, name })) };
  };
  const userId = async (sub: string) => (await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub })).id;
  const start = (auth: { Authorization: string }, body: Record<string, unknown> = {}) => request(t.http).post('/api/conversations').set(auth).send(body);

  describe('POST /api/conversations', () => {
    it('starts a session in a room: row, signed URL for the room agent, every dynamic variable', async () => {
      const room = await createRoom(t.dataSource, { kind: 'goal_discovery', agentId: 'agent_room' });
      const { sub, auth } = person('Ada Lovelace');
      const response = await start(auth, { roomId: room.id, metadata: { from: 'test' } });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        conversationId: expect.any(String),
        sessionId: expect.stringMatching(/^sess_[0-9a-f]{32}$/),
        customCallId: expect.stringMatching(/^call_[0-9a-f]{32}$/),
        signedUrl: expect.stringMatching(/^wss:\/\/api\.elevenlabs\.io\/v1\/convai\/conversation\?agent_id=agent_room&conversation_signature=/),
        dynamicVariables: expect.any(Object),
        isResumed: false,
        messageCount: 0,
      });
      const variables = response.body.dynamicVariables;
      for (const name of [...PERSONALISATION_VARIABLES, 'session_id', 'room_id', 'secret__tool_token']) expect(typeof variables[name]).toBe('string');
      expect(variables).toMatchObject({ user_name: 'Ada Lovelace', session_id: response.body.sessionId, room_id: room.id, onboarding_phase: 'goal_discovery', conversation_count: '0' });

      const row = await sessions().findOneByOrFail({ id: response.body.conversationId });
      expect(row).toMatchObject({
        userId: await userId(sub),
        roomId: room.id,
        agentId: 'agent_room',
        sessionId: response.body.sessionId,
        customCallId: response.body.customCallId,
        sessionType: 'goal_discovery',
        channel: 'web',
        status: 'active',
        metadata: { from: 'test' },
        elevenlabsConversationId: null,
      });
      expect(t.fake.requestsTo(/get-signed-url/)).toHaveLength(1);
      expect(t.fake.requests[0].query).toEqual({ agent_id: 'agent_room' });

      // The tool token: scoped to this user and session, ~2 h, and useless as a sign-in token.
      const claims = t.app.get(ToolTokenService).verify(variables.secret__tool_token);
      expect(claims).toEqual({ sub: row.userId, sid: row.id, scope: 'tool' });
      const decoded = jwt.decode(variables.secret__tool_token) as { exp: number; iat: number };
      expect(decoded.exp - decoded.iat).toBe(7200);
      await request(t.http).get('/api/conversations').set(bearer(variables.secret__tool_token)).expect(401);
    });

    it('falls back to the agent setting, then ELEVENLABS_AGENT_ID, when the room names no agent', async () => {
      const room = await createRoom(t.dataSource);
      const { auth } = person();
      await start(auth, { roomId: room.id }).expect(201);
      expect(t.fake.requests[0].query.agent_id).toBe('agent_test');
      await request(t.http).put('/api/settings/agent').set(bearer(adminToken())).send({ agentId: 'agent_setting' }).expect(200);
      try {
        const other = person();
        await start(other.auth, { roomId: room.id }).expect(201);
        expect(t.fake.requests.at(-1)!.query.agent_id).toBe('agent_setting');
      } finally {
        await request(t.http).put('/api/settings/agent').set(bearer(adminToken())).send({ agentId: null }).expect(200);
      }
    });

    it('resumes the active session in the same room younger than 30 minutes, with the stored message count', async () => {
      const room = await createRoom(t.dataSource);
      const { auth } = person();
      const first = await start(auth, { roomId: room.id }).expect(201);
      await request(t.http)
        .post(`/api/conversations/${first.body.conversationId}/messages`)
        .set(auth)
        .send({ messages: [{ clientMessageId: 'm1', role: 'agent', message: 'Hi' }, { clientMessageId: 'm2', role: 'user', message: 'Hello' }] })
        .expect(200);
      const again = await start(auth, { roomId: room.id }).expect(201);
      expect(again.body).toMatchObject({ conversationId: first.body.conversationId, sessionId: first.body.sessionId, isResumed: true, messageCount: 2 });
      expect(again.body.signedUrl).not.toBe(first.body.signedUrl); // a fresh one
      expect(await sessions().countBy({ roomId: room.id })).toBe(1);

      // Older than 30 minutes: a new session.
      await sessions().update({ id: first.body.conversationId }, { startedAt: new Date(Date.now() - 31 * 60 * 1000) });
      const later = await start(auth, { roomId: room.id }).expect(201);
      expect(later.body).toMatchObject({ isResumed: false, messageCount: 0 });
      expect(later.body.conversationId).not.toBe(first.body.conversationId);

      // An ended session is never resumed; nor is another person's.
      await request(t.http).post(`/api/conversations/${later.body.conversationId}/end`).set(auth).expect(200);
      const fresh = await start(auth, { roomId: room.id }).expect(201);
      expect(fresh.body.isResumed).toBe(false);
      const stranger = await start(person().auth, { roomId: room.id }).expect(201);
      expect(stranger.body.isResumed).toBe(false);
    });

    it('answers 404 for an unknown room and 409 for an inactive one, storing nothing', async () => {
      const { sub, auth } = person();
      const unknown = await start(auth, { roomId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const inactive = await createRoom(t.dataSource, { isActive: false });
      const refused = await start(auth, { roomId: inactive.id });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/inactive/);
      expect(await sessions().countBy({ userId: await userId(sub) })).toBe(0);
    });

    it.each([
      [500, 502],
      [429, 503],
    ])('answers an ElevenLabs %s with %s and a message, and leaves no half-created session', async (upstream, expected) => {
      const room = await createRoom(t.dataSource);
      const { sub, auth } = person();
      t.fake.fail({ match: /get-signed-url/, status: upstream as 500 | 429 });
      const response = await start(auth, { roomId: room.id });
      expect(response.status).toBe(expected);
      expect(response.body).toMatchObject({ statusCode: expected, message: expect.stringMatching(/ElevenLabs/) });
      expect(await sessions().countBy({ userId: await userId(sub) })).toBe(0);
    });

    it('validates the body', async () => {
      const response = await start(person().auth, { roomId: 'nope', sessionType: 'x', extra: 1 });
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(
        expect.arrayContaining([expect.stringMatching(/^roomId/), expect.stringMatching(/^sessionType/), expect.stringMatching(/extra should not exist/)]),
      );
    });
  });

  describe('reading', () => {
    it('lists own conversations newest first with a cursor; an admin sees all and can filter', async () => {
      const roomA = await createRoom(t.dataSource);
      const roomB = await createRoom(t.dataSource);
      const alice = person('Alice');
      const bob = person('Bob');
      const a1 = (await start(alice.auth, { roomId: roomA.id }).expect(201)).body.conversationId;
      const a2 = (await start(alice.auth, { roomId: roomB.id }).expect(201)).body.conversationId;
      const b1 = (await start(bob.auth, { roomId: roomA.id }).expect(201)).body.conversationId;

      const page1 = await request(t.http).get('/api/conversations?limit=1').set(alice.auth).expect(200);
      expect(page1.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([a2]);
      expect(page1.body.items[0]).toMatchObject({ room: { id: roomB.id, slug: roomB.slug }, status: 'active', channel: 'web' });
      expect(page1.body.items[0]).not.toHaveProperty('signedUrl');
      const page2 = await request(t.http).get(`/api/conversations?limit=1&cursor=${page1.body.nextCursor}`).set(alice.auth).expect(200);
      expect(page2.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([a1]);
      expect(page2.body.nextCursor).toBeNull();

      // A user cannot widen the list with userId.
      const bobId = await userId(bob.sub);
      const sneaky = await request(t.http).get(`/api/conversations?userId=${bobId}`).set(alice.auth).expect(200);
      expect(sneaky.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([a2, a1]);

      const admin = bearer(adminToken());
      const byRoom = await request(t.http).get(`/api/conversations?roomId=${roomA.id}`).set(admin).expect(200);
      expect(byRoom.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([b1, a1]);
      const byUser = await request(t.http).get(`/api/conversations?userId=${bobId}`).set(admin).expect(200);
      expect(byUser.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([b1]);
      await request(t.http).post(`/api/conversations/${a1}/end`).set(alice.auth).expect(200);
      const ended = await request(t.http).get(`/api/conversations?status=ended&roomId=${roomA.id}`).set(admin).expect(200);
      expect(ended.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([a1]);
      const future = new Date(Date.now() + 60_000).toISOString();
      const none = await request(t.http).get(`/api/conversations?from=${future}&roomId=${roomA.id}`).set(admin).expect(200);
      expect(none.body.items).toEqual([]);
      const past = await request(t.http).get(`/api/conversations?to=${future}&roomId=${roomA.id}`).set(admin).expect(200);
      expect(past.body.items).toHaveLength(2);
      await request(t.http).get('/api/conversations?status=weird').set(admin).expect(400);
    });

    it('gets one conversation with its messages and summary; another person gets 404, not 403', async () => {
      const room = await createRoom(t.dataSource);
      const owner = person();
      const id = (await start(owner.auth, { roomId: room.id }).expect(201)).body.conversationId;
      await request(t.http)
        .post(`/api/conversations/${id}/messages`)
        .set(owner.auth)
        .send({ messages: [{ clientMessageId: 'b', role: 'user', message: 'second', timeInCallSecs: 5 }, { clientMessageId: 'a', role: 'agent', message: 'first', timeInCallSecs: 1 }] })
        .expect(200);
      await request(t.http).patch(`/api/conversations/${id}`).set(owner.auth).send({ elevenlabsConversationId: `conv_${id.slice(0, 8)}` }).expect(200);
      await t.dataSource.getRepository(ConversationSummary).save({
        conversationId: `conv_${id.slice(0, 8)}`,
        sessionId: id,
        userId: await userId(owner.sub),
        summary: 'Talked about sleep.',
        title: 'Sleep',
        actionItems: ['Go to bed at 23:00'],
      });

      const response = await request(t.http).get(`/api/conversations/${id}`).set(owner.auth).expect(200);
      expect(response.body).toMatchObject({
        conversationId: id,
        elevenlabsConversationId: `conv_${id.slice(0, 8)}`,
        messageCount: 2,
        messages: [
          { clientMessageId: 'a', role: 'agent', message: 'first', timeInCallSecs: 1, source: 'client' },
          { clientMessageId: 'b', role: 'user', message: 'second', timeInCallSecs: 5, source: 'client' },
        ],
        summary: { summary: 'Talked about sleep.', title: 'Sleep', actionItems: ['Go to bed at 23:00'] },
      });

      const stranger = person();
      for (const [method, path, body] of [
        ['get', `/api/conversations/${id}`, undefined],
        ['get', `/api/conversations/${id}/validate`, undefined],
        ['post', `/api/conversations/${id}/signed-url`, undefined],
        ['post', `/api/conversations/${id}/messages`, { messages: [{ clientMessageId: 'x', role: 'user', message: 'intrusion' }] }],
        ['patch', `/api/conversations/${id}`, { elevenlabsConversationId: 'conv_other' }],
        ['post', `/api/conversations/${id}/end`, undefined],
      ] as const) {
        const res = await request(t.http)[method](path).set(stranger.auth).send(body);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.body.message).toBe(`no conversation ${id}`);
      }
      expect(await t.dataSource.getRepository(ConversationMessage).countBy({ sessionId: id })).toBe(2);
      expect((await sessions().findOneByOrFail({ id })).status).toBe('active');

      // An admin may read it.
      await request(t.http).get(`/api/conversations/${id}`).set(bearer(adminToken())).expect(200);
      // Unknown id and a malformed id.
      await request(t.http).get('/api/conversations/00000000-0000-4000-8000-000000000000').set(owner.auth).expect(404);
      await request(t.http).get('/api/conversations/not-a-uuid').set(owner.auth).expect(400);
    });
  });

  describe('signed URL and validation', () => {
    it('gives a fresh signed URL for an active session and refuses an ended one with 409', async () => {
      const room = await createRoom(t.dataSource, { agentId: 'agent_fresh' });
      const { auth } = person();
      const started = (await start(auth, { roomId: room.id }).expect(201)).body;
      const fresh = await request(t.http).post(`/api/conversations/${started.conversationId}/signed-url`).set(auth).expect(200);
      expect(fresh.body).toEqual({ conversationId: started.conversationId, signedUrl: expect.stringContaining('agent_id=agent_fresh') });
      expect(fresh.body.signedUrl).not.toBe(started.signedUrl);

      t.fake.fail({ match: /get-signed-url/, status: 503, times: 1 });
      const down = await request(t.http).post(`/api/conversations/${started.conversationId}/signed-url`).set(auth);
      expect(down.status).toBe(502);

      await request(t.http).post(`/api/conversations/${started.conversationId}/end`).set(auth).expect(200);
      const ended = await request(t.http).post(`/api/conversations/${started.conversationId}/signed-url`).set(auth);
      expect(ended.status).toBe(409);
      expect(ended.body.message).toMatch(/ended/);
    });

    it('validates: active and younger than 2 hours', async () => {
      const { auth } = person();
      const id = (await start(auth, {}).expect(201)).body.conversationId;
      const ok = await request(t.http).get(`/api/conversations/${id}/validate`).set(auth).expect(200);
      expect(ok.body).toEqual({ conversationId: id, valid: true, status: 'active', expiresAt: expect.any(String), reason: null });

      await sessions().update({ id }, { startedAt: new Date(Date.now() - 2 * 60 * 60 * 1000 - 1000) });
      const old = await request(t.http).get(`/api/conversations/${id}/validate`).set(auth).expect(200);
      expect(old.body).toMatchObject({ valid: false, status: 'expired', reason: expect.stringMatching(/2 hours/) });

      const id2 = (await start(auth, {}).expect(201)).body.conversationId;
      await request(t.http).post(`/api/conversations/${id2}/end`).set(auth).expect(200);
      const ended = await request(t.http).get(`/api/conversations/${id2}/validate`).set(auth).expect(200);
      expect(ended.body).toMatchObject({ valid: false, status: 'ended' });
    });
  });

  describe('messages', () => {
    it('stores a batch once, however often it is sent (idempotent by clientMessageId)', async () => {
      const { auth } = person();
      const id = (await start(auth, {}).expect(201)).body.conversationId;
      const batch = {
        messages: [
          { clientMessageId: 'c1-m0', role: 'agent', message: 'Hello! How are you?', timeInCallSecs: 0.5 },
          { clientMessageId: 'c1-m1', role: 'user', message: 'Zoë "Z" </script> 🚀', timeInCallSecs: 3 },
          { clientMessageId: 'c1-m1', role: 'user', message: 'duplicate within the batch', timeInCallSecs: 3 },
        ],
      };
      const first = await request(t.http).post(`/api/conversations/${id}/messages`).set(auth).send(batch).expect(200);
      expect(first.body).toEqual({ conversationId: id, received: 3, stored: 2, messageCount: 2 });
      const again = await request(t.http).post(`/api/conversations/${id}/messages`).set(auth).send(batch).expect(200);
      expect(again.body).toEqual({ conversationId: id, received: 3, stored: 0, messageCount: 2 });
      const rows = await t.dataSource.getRepository(ConversationMessage).find({ where: { sessionId: id }, order: { timeInCallSecs: 'ASC' } });
      expect(rows.map((r) => [r.clientMessageId, r.role, r.message, r.source])).toEqual([
        ['c1-m0', 'agent', 'Hello! How are you?', 'client'],
        ['c1-m1', 'user', 'Zoë "Z" </script> 🚀', 'client'],
      ]);
    });

    it('answers 400 to a batch of 1,000 items and 413 to a 1 MB message, storing nothing', async () => {
      const { auth } = person();
      const id = (await start(auth, {}).expect(201)).body.conversationId;
      const many = Array.from({ length: 1000 }, (_, i) => ({ clientMessageId: `m${i}`, role: 'user', message: 'hi' }));
      const tooMany = await request(t.http).post(`/api/conversations/${id}/messages`).set(auth).send({ messages: many });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toEqual([expect.stringMatching(/messages must contain no more than 200 elements/)]);

      const huge = await request(t.http)
        .post(`/api/conversations/${id}/messages`)
        .set(auth)
        .send({ messages: [{ clientMessageId: 'big', role: 'user', message: 'x'.repeat(1024 * 1024) }] });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ statusCode: 413, message: expect.stringMatching(/too large/) });

      const long = await request(t.http)
        .post(`/api/conversations/${id}/messages`)
        .set(auth)
        .send({ messages: [{ clientMessageId: 'long', role: 'user', message: 'x'.repeat(20_001) }] });
      expect(long.status).toBe(400);
      expect(long.body.message).toEqual([expect.stringMatching(/messages\.0\.message/)]);

      const bad = await request(t.http).post(`/api/conversations/${id}/messages`).set(auth).send({ messages: [{ clientMessageId: 'r', role: 'system', message: 'x' }] });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toEqual([expect.stringMatching(/role/)]);
      await request(t.http).post(`/api/conversations/${id}/messages`).set(auth).send({ messages: [] }).expect(400);
      expect(await t.dataSource.getRepository(ConversationMessage).countBy({ sessionId: id })).toBe(0);
    });
  });

  describe('ElevenLabs conversation id and ending', () => {
    it('sets the ElevenLabs conversation id; the same again is fine, a clash is 409', async () => {
      const one = person();
      const two = person();
      const a = (await start(one.auth, {}).expect(201)).body.conversationId;
      const b = (await start(two.auth, {}).expect(201)).body.conversationId;
      const elevenlabsId = `conv_${uniqueSub('x').replace(/-/g, '')}`;
      const set = await request(t.http).patch(`/api/conversations/${a}`).set(one.auth).send({ elevenlabsConversationId: elevenlabsId }).expect(200);
      expect(set.body).toMatchObject({ conversationId: a, elevenlabsConversationId: elevenlabsId });
      await request(t.http).patch(`/api/conversations/${a}`).set(one.auth).send({ elevenlabsConversationId: elevenlabsId }).expect(200);
      expect((await sessions().findOneByOrFail({ id: a })).elevenlabsConversationId).toBe(elevenlabsId);

      const clash = await request(t.http).patch(`/api/conversations/${b}`).set(two.auth).send({ elevenlabsConversationId: elevenlabsId });
      expect(clash.status).toBe(409);
      expect(clash.body.message).toMatch(/another session/);
      expect((await sessions().findOneByOrFail({ id: b })).elevenlabsConversationId).toBeNull();

      const relink = await request(t.http).patch(`/api/conversations/${a}`).set(one.auth).send({ elevenlabsConversationId: 'conv_different' });
      expect(relink.status).toBe(409);
      await request(t.http).patch(`/api/conversations/${a}`).set(one.auth).send({ elevenlabsConversationId: 'bad id!' }).expect(400);
    });

    it('ends a conversation; ending twice is fine and changes nothing', async () => {
      const { auth } = person();
      const id = (await start(auth, {}).expect(201)).body.conversationId;
      const ended = await request(t.http).post(`/api/conversations/${id}/end`).set(auth).expect(200);
      expect(ended.body).toMatchObject({ conversationId: id, status: 'ended', endedAt: expect.any(String) });
      const row = await sessions().findOneByOrFail({ id });
      expect(row.status).toBe('ended');
      const twice = await request(t.http).post(`/api/conversations/${id}/end`).set(auth).expect(200);
      expect(twice.body).toEqual(ended.body);
      const after = await sessions().findOneByOrFail({ id });
      expect(after.endedAt?.toISOString()).toBe(row.endedAt?.toISOString());
      expect(after.updatedAt.toISOString()).toBe(row.updatedAt.toISOString());
    });
  });

  describe('expiry job', () => {
    it('marks sessions active for more than 2 hours as expired, and only those', async () => {
      const { auth } = person();
      const old = (await start(auth, {}).expect(201)).body.conversationId;
      const recent = (await start(auth, {}).expect(201)).body.conversationId;
      const endedOld = (await start(auth, {}).expect(201)).body.conversationId;
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000 - 5000);
      await sessions().update({ id: old }, { startedAt: twoHoursAgo });
      await request(t.http).post(`/api/conversations/${endedOld}/end`).set(auth).expect(200);
      await sessions().update({ id: endedOld }, { startedAt: twoHoursAgo });

      const count = await t.app.get(ConversationsService).expireStaleSessions(new Date());
      expect(count).toBeGreaterThanOrEqual(1);
      expect(await sessions().findOneByOrFail({ id: old })).toMatchObject({ status: 'expired', endedAt: expect.any(Date) });
      expect((await sessions().findOneByOrFail({ id: recent })).status).toBe('active');
      expect((await sessions().findOneByOrFail({ id: endedOld })).status).toBe('ended');
      const listed = await request(t.http).get(`/api/conversations/${old}`).set(auth).expect(200);
      expect(listed.body.status).toBe('expired');
      // Ending an expired session changes nothing.
      const end = await request(t.http).post(`/api/conversations/${old}/end`).set(auth).expect(200);
      expect(end.body.status).toBe('expired');
    });
  });

  it('signs the tool token with a key of its own: a tool token forged with the sign-in key is refused', () => {
    const forged = jwt.sign({ sub: 'u', sid: 's', scope: 'tool' }, TEST_JWT_SECRET, { algorithm: 'HS256', audience: 'convai-rooms:tools' });
    expect(() => t.app.get(ToolTokenService).verify(forged)).toThrow();
  });
});
