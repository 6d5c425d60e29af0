import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ConversationMessage } from '../src/conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../src/conversations/entities/conversation-session.entity.js';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { ActivityEvent } from '../src/dashboard/entities/activity-event.entity.js';
import { CallAttempt } from '../src/scheduling/entities/call-attempt.entity.js';
import { FINISHED_CONVERSATION_HANDLER, type FinishedConversationHandler } from '../src/insights/finished-conversation.handler.js';
import { ConversationAudio } from '../src/webhooks/entities/conversation-audio.entity.js';
import { WebhookEvent } from '../src/webhooks/entities/webhook-event.entity.js';
import { callerHashFor } from '../src/webhooks/dedupe-key.js';
import { ReconcileMissedConversations } from '../src/webhooks/usecases/reconcile-missed-conversations.js';
import { WebhookEventProcessor } from '../src/webhooks/webhook-event.processor.js';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { adminToken, bearer, createRoom, createUser, tokenFor, uniqueSub } from './support/factories.js';
import { wireConversation } from './support/fake-elevenlabs.js';
import { TEST_INIT_SECRET, TEST_WEBHOOK_SECRET, type TestApp, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

/** A hand-off that can be told to fail, standing in for a broken insights module. */
class FlakyFinishedHandler implements FinishedConversationHandler {
  failing = false;
  /** Conversations whose hand-off fails (the others succeed). */
  readonly failingFor = new Set<string>();
  /** Conversations whose rows the database refuses: in a batch's deferred writes, or at once when written alone. */
  readonly refusedWritesFor = new Set<string>();
  calls: string[] = [];
  async conversationFinished(finished: Parameters<FinishedConversationHandler['conversationFinished']>[0]): Promise<void> {
    const id = finished.summary.conversationId;
    if (this.failing || this.failingFor.has(id)) throw new Error('insights store unavailable');
    if (this.refusedWritesFor.has(id)) {
      const refuse = async () => {
        throw new Error(`row of ${id} refused`);
      };
      if (finished.writes) finished.writes.add('flaky_rows', id, refuse);
      else await refuse();
    }
    this.calls.push(id);
  }
}

const conv = () => `conv_${randomUUID().replace(/-/g, '')}`;

describe('webhooks (e2e)', () => {
  let t: TestApp;
  let processor: WebhookEventProcessor;
  const handler = new FlakyFinishedHandler();

  beforeAll(async () => {
    t = await createTestApp({ customize: (builder) => builder.overrideProvider(FINISHED_CONVERSATION_HANDLER).useValue(handler) });
    processor = t.app.get(WebhookEventProcessor);
  });
  afterAll(() => t.close());

  const post = (body: string, signature?: string, path = '/api/webhooks/elevenlabs') => {
    const req = request(t.http).post(path).set('Content-Type', 'application/json');
    if (signature !== undefined) req.set('ElevenLabs-Signature', signature);
    return req.send(body);
  };
  const deliver = (payload: unknown, path?: string) => {
    const body = JSON.stringify(payload);
    return post(body, signWebhook(body, TEST_WEBHOOK_SECRET), path);
  };
  const events = (dedupeKey: string) => t.dataSource.getRepository(WebhookEvent).findBy({ dedupeKey });
  const count = {
    summaries: (conversationId: string) => t.dataSource.getRepository(ConversationSummary).countBy({ conversationId }),
    activity: (conversationId: string) => t.dataSource.getRepository(ActivityEvent).createQueryBuilder('a').where(`a.data->>'conversationId' = :conversationId`, { conversationId }).getCount(),
  };

  async function startedSession(overrides: Partial<ConversationSession> = {}) {
    const user = await createUser(t.dataSource, { displayName: 'Maria Lopez' });
    const room = await createRoom(t.dataSource);
    const repository = t.dataSource.getRepository(ConversationSession);
    const session = await repository.save(
      repository.create({ sessionId: randomUUID(), customCallId: randomUUID(), userId: user.id, roomId: room.id, status: 'active', ...overrides }),
    );
    return { user, room, session };
  }

  it('turns the signed example post_call_transcription into a summary, messages, an ended session and an activity event', async () => {
    const conversationId = conv();
    const { user, room, session } = await startedSession();
    const response = await deliver(examplePostCallTranscription(conversationId, { session_id: session.sessionId }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, duplicate: false, status: 'pending' });
    await processor.drain();

    const [event] = await events(`post_call_transcription:${conversationId}`);
    expect(event).toMatchObject({ status: 'processed', attempts: 1, source: 'webhook', error: null });
    const summary = await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId });
    expect(summary).toMatchObject({
      sessionId: session.id,
      roomId: room.id,
      userId: user.id,
      title: 'Appointment confirmed',
      summary: 'The agent reminded Maria of her appointment and she confirmed.',
      callSuccessful: true,
      durationSecs: 93,
      startedAt: new Date(1767225800 * 1000),
      fromNumber: '+15550001111',
      toNumber: '+15552223333',
      agentId: 'agent_01jzexample',
      dataCollection: { attending: expect.objectContaining({ value: true }) },
      evaluation: { confirmed: expect.objectContaining({ result: 'success' }) },
      outcome: 'resolved',
      source: 'webhook',
    });
    const messages = await t.dataSource.getRepository(ConversationMessage).find({ where: { sessionId: session.id }, order: { timeInCallSecs: 'ASC' } });
    expect(messages.map((m) => [m.role, m.message, m.source])).toEqual([
      ['agent', "Hi Maria, this is Acme Dental calling about tomorrow's 10am visit.", 'webhook'],
      ['user', "Yes, I'll be there.", 'webhook'],
      ['agent', 'Great, let me confirm that.', 'webhook'],
    ]);
    const ended = await t.dataSource.getRepository(ConversationSession).findOneByOrFail({ id: session.id });
    expect(ended).toMatchObject({ status: 'ended', elevenlabsConversationId: conversationId });
    expect(ended.endedAt).toEqual(new Date((1767225800 + 93) * 1000));
    expect(await count.activity(conversationId)).toBe(1);
    expect(handler.calls).toContain(conversationId);
  });

  it('processes the same delivery twice only once', async () => {
    const conversationId = conv();
    const { session } = await startedSession({ elevenlabsConversationId: conversationId });
    const body = JSON.stringify(examplePostCallTranscription(conversationId));
    const first = await post(body, signWebhook(body, TEST_WEBHOOK_SECRET));
    await processor.drain();
    const second = await post(body, signWebhook(body, TEST_WEBHOOK_SECRET));
    await processor.drain();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.duplicate).toBe(true);
    expect(await events(`post_call_transcription:${conversationId}`)).toHaveLength(1);
    expect(await count.summaries(conversationId)).toBe(1);
    expect(await count.activity(conversationId)).toBe(1);
    expect(await t.dataSource.getRepository(ConversationMessage).countBy({ sessionId: session.id })).toBe(3);
  });

  it('stores concurrent deliveries together (group commit), and a body jsonb refuses fails alone', async () => {
    const ids = Array.from({ length: 30 }, () => conv());
    const bodies = ids.map((id) => JSON.stringify(examplePostCallTranscription(id)));
    // Valid JSON that PostgreSQL's jsonb refuses (\u0000), sent in the same burst as the good ones.
    const badId = conv();
    const bad = JSON.stringify(examplePostCallTranscription(badId)).replace('"status":"done"', '"status":"done","note":"\\u0000"');
    const responses = await Promise.all([...bodies, bad].map((body) => post(body, signWebhook(body, TEST_WEBHOOK_SECRET))));
    expect(responses.slice(0, 30).map((r) => [r.status, r.body.duplicate])).toEqual(Array(30).fill([200, false]));
    expect(responses[30].status).toBe(400);
    expect(responses[30].body.message).toBe('request body cannot be stored as JSON');
    for (const id of ids) expect(await events(`post_call_transcription:${id}`)).toHaveLength(1);
    expect(await events(`post_call_transcription:${badId}`)).toHaveLength(0);
  });

  it('stores and processes ten concurrent copies of one delivery once', async () => {
    const conversationId = conv();
    const body = JSON.stringify(examplePostCallTranscription(conversationId));
    const signature = signWebhook(body, TEST_WEBHOOK_SECRET);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(body, signature)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    await processor.drain();
    const stored = await events(`post_call_transcription:${conversationId}`);
    expect(stored).toHaveLength(1);
    expect(stored[0].status).toBe('processed');
    expect(await count.summaries(conversationId)).toBe(1);
    expect(await count.activity(conversationId)).toBe(1);
    const sessions = await t.dataSource.getRepository(ConversationSession).findBy({ elevenlabsConversationId: conversationId });
    expect(sessions).toHaveLength(1);
  });

  it.each([
    ['a tampered body', (body: string) => ({ body: body.replace('Yes, I', 'No, I'), signature: signWebhook(body, TEST_WEBHOOK_SECRET) })],
    ['a wrong secret', (body: string) => ({ body, signature: signWebhook(body, 'wsec_someone_else') })],
    ['a stale timestamp', (body: string) => ({ body, signature: signWebhook(body, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600) })],
    ['a future timestamp', (body: string) => ({ body, signature: signWebhook(body, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) + 3600) })],
    ['no signature', (body: string) => ({ body, signature: undefined })],
  ])('answers 401 for %s and stores nothing', async (_, make) => {
    const conversationId = conv();
    const { body, signature } = make(JSON.stringify(examplePostCallTranscription(conversationId)));
    const response = await post(body, signature);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    await processor.drain();
    expect(await events(`post_call_transcription:${conversationId}`)).toHaveLength(0);
    expect(await count.summaries(conversationId)).toBe(0);
  });

  it('stores who each delivery is about, and a worker claims only its own share of callers', async () => {
    // Two people whose numbers fall to different workers of two.
    const first = uniqueSub();
    let second = uniqueSub();
    const hashOf = (sub: string) => callerHashFor('post_call_transcription', { user_id: sub }, 'unused');
    while (hashOf(second) % 2 === hashOf(first) % 2) second = uniqueSub();
    const calls = [first, first, second].map((sub) => ({ sub, conversationId: conv() }));
    for (const { sub, conversationId } of calls) {
      const example = examplePostCallTranscription(conversationId);
      expect((await deliver({ ...example, data: { ...example.data, user_id: sub } })).status).toBe(200);
    }
    await processor.drain();
    const stored = await Promise.all(calls.map(async ({ conversationId }) => (await events(`post_call_transcription:${conversationId}`))[0]));
    expect(stored.map((event) => event.callerHash)).toEqual([hashOf(first), hashOf(first), hashOf(second)]);

    // The same calls pending again (as intake leaves them): worker `hash % 2` of two takes the first person's only.
    const repository = t.dataSource.getRepository(WebhookEvent);
    const again = calls.map(({ conversationId }) => `post_call_transcription:again_${conversationId}`);
    await repository.insert(stored.map((event, index) => ({ eventType: event.eventType, dedupeKey: again[index], payload: event.payload, callerHash: event.callerHash, status: 'pending' as const })));
    expect(await processor.claimAndProcessBatch({ workers: 2, worker: hashOf(first) % 2 })).toBe(2);
    const statuses = async () => Promise.all(again.map(async (dedupeKey) => (await events(dedupeKey))[0].status));
    expect(await statuses()).toEqual(['processed', 'processed', 'pending']);
    expect(await processor.claimAndProcessBatch({ workers: 2, worker: hashOf(second) % 2 })).toBe(1);
    expect(await statuses()).toEqual(['processed', 'processed', 'processed']);
  });

  it('answers 400 for a valid signature over invalid JSON, and 401 before parsing for a bad one', async () => {
    const body = '{"type": "post_call_transcription", "data": ';
    const before = await t.dataSource.getRepository(WebhookEvent).count();
    const response = await post(body, signWebhook(body, TEST_WEBHOOK_SECRET));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' });
    expect((await post(body, signWebhook(body, 'wrong'))).status).toBe(401);
    expect(await t.dataSource.getRepository(WebhookEvent).count()).toBe(before);
  });

  it('accepts a post_call_audio body far above the default 1 MB limit and serves it to the owner and admins only', async () => {
    const conversationId = conv();
    const { user, session } = await startedSession({ elevenlabsConversationId: conversationId });
    const audio = Buffer.alloc(3 * 1024 * 1024, 7);
    audio.write('ID3', 0);
    const response = await deliver({ type: 'post_call_audio', event_timestamp: 1767225910, data: { agent_id: 'agent_1', conversation_id: conversationId, full_audio: audio.toString('base64') } });
    expect(response.status).toBe(200);
    await processor.drain();
    const stored = await t.dataSource.getRepository(ConversationAudio).findOneByOrFail({ conversationId });
    expect(stored.sizeBytes).toBe(audio.length);
    const [event] = await events(`post_call_audio:${conversationId}`);
    expect(event.status).toBe('processed');
    expect(JSON.stringify(event.payload).length).toBeLessThan(1000);

    const owner = tokenFor({ sub: user.externalId });
    for (const id of [conversationId, session.id]) {
      const heard = await request(t.http).get(`/api/conversations/${id}/audio`).set(bearer(owner)).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(heard.status).toBe(200);
      expect(heard.headers['content-type']).toBe('audio/mpeg');
      expect(Buffer.compare(heard.body as Buffer, audio)).toBe(0);
    }
    expect((await request(t.http).get(`/api/conversations/${conversationId}/audio`).set(bearer(adminToken()))).status).toBe(200);
    const stranger = await request(t.http).get(`/api/conversations/${conversationId}/audio`).set(bearer(tokenFor()));
    expect(stranger.status).toBe(404);
    expect((await request(t.http).get(`/api/conversations/conv_nothing/audio`).set(bearer(adminToken()))).status).toBe(404);
  });

  it('hands call_initiation_failure to scheduling with an activity event, and stores unknown types as ignored', async () => {
    const conversationId = conv();
    const failure = await deliver({ type: 'call_initiation_failure', event_timestamp: 1767226000, data: { agent_id: 'agent_1', conversation_id: conversationId, failure_reason: 'no-answer', metadata: { type: 'twilio', body: { CallStatus: 'no-answer' } } } });
    const unknown = await deliver({ type: 'answering_machine_detection', event_timestamp: 1767226000, data: { conversation_id: conversationId } });
    expect([failure.status, unknown.status]).toEqual([200, 200]);
    expect(unknown.body.status).toBe('ignored');
    await processor.drain();
    expect((await events(`call_initiation_failure:${conversationId}`))[0].status).toBe('processed');
    const ignored = await t.dataSource.getRepository(WebhookEvent).findOneByOrFail({ eventType: 'answering_machine_detection' });
    expect(ignored.status).toBe('ignored');
    const activity = await t.dataSource.getRepository(ActivityEvent).createQueryBuilder('a').where(`a.data->>'conversationId' = :conversationId`, { conversationId }).getMany();
    expect(activity.map((a) => a.type)).toEqual(['call_initiation_failed']);
  });

  it('a failing event among others claimed with it fails alone: its rows roll back, the others are stored once', async () => {
    const ids = Array.from({ length: 6 }, conv);
    handler.failingFor.add(ids[2]);
    try {
      // Delivered together, so they are stored by one group commit and claimed by one batch.
      const answers = await Promise.all(ids.map((id) => deliver(examplePostCallTranscription(id))));
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
      await processor.drain();
    } finally {
      handler.failingFor.clear();
    }
    for (const id of ids) {
      const [event] = await events(`post_call_transcription:${id}`);
      if (id === ids[2]) {
        expect(event).toMatchObject({ status: 'failed', attempts: 1, error: 'insights store unavailable' });
        expect(await count.summaries(id)).toBe(0);
        expect(await count.activity(id)).toBe(0);
      } else {
        expect(event).toMatchObject({ status: 'processed', attempts: 1 });
        expect(await count.summaries(id)).toBe(1);
        expect(await count.activity(id)).toBe(1);
      }
    }
  });

  it('a batch write that fails undoes the batch, which runs again event by event: the bad one fails alone, the others are stored once', async () => {
    const ids = Array.from({ length: 5 }, conv);
    handler.refusedWritesFor.add(ids[1]);
    try {
      const answers = await Promise.all(ids.map((id) => deliver(examplePostCallTranscription(id))));
      expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(200));
      await processor.drain();
    } finally {
      handler.refusedWritesFor.clear();
    }
    for (const id of ids) {
      const [event] = await events(`post_call_transcription:${id}`);
      const messages = await t.dataSource.getRepository(ConversationMessage).countBy({ session: { elevenlabsConversationId: id } });
      if (id === ids[1]) {
        expect(event).toMatchObject({ status: 'failed', attempts: 1, error: `row of ${id} refused` });
        expect([await count.summaries(id), await count.activity(id), messages]).toEqual([0, 0, 0]);
      } else {
        expect(event).toMatchObject({ status: 'processed', attempts: 1, error: null });
        expect([await count.summaries(id), await count.activity(id), messages]).toEqual([1, 1, examplePostCallTranscription(id).data.transcript.length]);
      }
    }
  });

  it('leaves an event failed when processing throws, lists it for admins, and replay after the fix processes it', async () => {
    const conversationId = conv();
    handler.failing = true;
    try {
      await deliver(examplePostCallTranscription(conversationId)).expect(200);
      await processor.drain();
    } finally {
      handler.failing = false;
    }
    const [failed] = await events(`post_call_transcription:${conversationId}`);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: 'insights store unavailable' });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000); // backoff: not retried at once
    expect(await count.summaries(conversationId)).toBe(0); // the failed try left nothing behind
    expect(await count.activity(conversationId)).toBe(0);

    expect((await request(t.http).get('/api/webhooks/events?status=failed').set(bearer(tokenFor()))).status).toBe(403);
    const list = await request(t.http).get('/api/webhooks/events?status=failed&limit=50').set(bearer(adminToken()));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: failed.id, status: 'failed', conversationId, error: 'insights store unavailable' })]));
    expect(list.body.items[0]).not.toHaveProperty('payload');

    const replay = await request(t.http).post(`/api/webhooks/events/${failed.id}/replay`).set(bearer(adminToken()));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: failed.id, status: 'processed', attempts: 2, error: null });
    expect(await count.summaries(conversationId)).toBe(1);
    expect((await request(t.http).post(`/api/webhooks/events/${failed.id}/replay`).set(bearer(adminToken()))).status).toBe(409);
    expect((await request(t.http).post(`/api/webhooks/events/${randomUUID()}/replay`).set(bearer(adminToken()))).status).toBe(404);
  });

  it('pages the admin list newest first', async () => {
    for (let i = 0; i < 3; i += 1) await deliver({ type: 'some_new_event', event_timestamp: i, data: { n: randomUUID() } }).expect(200);
    const first = await request(t.http).get('/api/webhooks/events?status=ignored&limit=2').set(bearer(adminToken()));
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(t.http).get(`/api/webhooks/events?status=ignored&limit=2&cursor=${first.body.nextCursor}`).set(bearer(adminToken()));
    const ids = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    const times = [...first.body.items, ...second.body.items].map((item: { receivedAt: string }) => item.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('does not store transcript lines the client already saved, and stores calls we did not start linked by user_id or phone', async () => {
    const conversationId = conv();
    const { session } = await startedSession({ elevenlabsConversationId: conversationId });
    await t.dataSource.getRepository(ConversationMessage).save({ sessionId: session.id, role: 'user', message: "Yes, I'll be there.", timeInCallSecs: 5, source: 'client', clientMessageId: 'client-1' });
    await deliver(examplePostCallTranscription(conversationId)).expect(200);
    await processor.drain();
    const messages = await t.dataSource.getRepository(ConversationMessage).findBy({ sessionId: session.id });
    expect(messages).toHaveLength(3);
    expect(messages.filter((m) => m.message === "Yes, I'll be there.")).toHaveLength(1);

    const byPhone = await createUser(t.dataSource, { phoneNumber: '+14155552671' });
    const phoneCall = examplePostCallTranscription(conv());
    phoneCall.data.user_id = 'not-a-user';
    phoneCall.data.conversation_initiation_client_data.user_id = 'not-a-user';
    phoneCall.data.metadata.phone_call.external_number = '+14155552671';
    await deliver(phoneCall).expect(200);
    const byUserId = await createUser(t.dataSource, { externalId: uniqueSub('contact') });
    const userIdCall = examplePostCallTranscription(conv());
    userIdCall.data.user_id = byUserId.externalId;
    await deliver(userIdCall).expect(200);
    await processor.drain();
    const summaries = t.dataSource.getRepository(ConversationSummary);
    expect((await summaries.findOneByOrFail({ conversationId: phoneCall.data.conversation_id })).userId).toBe(byPhone.id);
    expect((await summaries.findOneByOrFail({ conversationId: userIdCall.data.conversation_id })).userId).toBe(byUserId.id);
    const unknownSession = await t.dataSource.getRepository(ConversationSession).findOneByOrFail({ elevenlabsConversationId: phoneCall.data.conversation_id });
    expect(unknownSession).toMatchObject({ userId: byPhone.id, channel: 'phone', status: 'ended' });
  });

  it('matches a call in the design order: session_id, conversation id, an outbound dial, user id (external, then ours), phone', async () => {
    const matched = async (conversationId: string) => {
      const summary = await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId });
      const activity = await t.dataSource.getRepository(ActivityEvent).createQueryBuilder('a').where(`a.data->>'conversationId' = :conversationId`, { conversationId }).getOneOrFail();
      return { sessionId: summary.sessionId, userId: summary.userId, matchedBy: activity.data.matchedBy };
    };
    const phone = '+14155550123';
    const byPhone = await createUser(t.dataSource, { phoneNumber: phone });
    const calls: Array<{ payload: ReturnType<typeof examplePostCallTranscription>; expected: Record<string, unknown> }> = [];
    const call = (userId: string, expected: Record<string, unknown>, variables: Record<string, unknown> = {}, conversationId = conv()) => {
      const payload = examplePostCallTranscription(conversationId, variables);
      payload.data.user_id = userId;
      payload.data.conversation_initiation_client_data.user_id = 'not-a-user';
      payload.data.metadata.phone_call.external_number = phone;
      calls.push({ payload, expected });
      return payload.data.conversation_id;
    };

    // The session_id variable wins over a session already linked to the conversation id, and over the user id.
    const named = await startedSession();
    const bySessionId = call(byPhone.externalId, { sessionId: named.session.id, userId: named.user.id, matchedBy: 'session_id' }, { session_id: named.session.sessionId });
    await startedSession({ elevenlabsConversationId: bySessionId });
    // The conversation id over the user id.
    const byConversationId = conv();
    const linked = await startedSession({ elevenlabsConversationId: byConversationId });
    call(byPhone.externalId, { sessionId: linked.session.id, userId: linked.user.id, matchedBy: 'elevenlabs_conversation_id' }, {}, byConversationId);
    // An outbound dial's conversation id over the user id.
    const dialled = await createUser(t.dataSource);
    const dialledCall = call(byPhone.externalId, { userId: dialled.id, matchedBy: 'call_attempt' });
    await t.dataSource.getRepository(CallAttempt).save({ taskType: 'callback', taskId: randomUUID(), attemptNo: 1, status: 'initiated', userId: dialled.id, conversationId: dialledCall });
    // Our own user id when no external id matches; and the phone number last.
    const ours = await createUser(t.dataSource);
    call(ours.id, { userId: ours.id, matchedBy: 'user_id' });
    call('not-a-user', { userId: byPhone.id, matchedBy: 'phone' });

    for (const { payload } of calls) await deliver(payload).expect(200);
    await processor.drain();
    for (const { payload, expected } of calls) expect(await matched(payload.data.conversation_id)).toMatchObject(expected);
  });

  it('recovers a conversation whose webhook never came through the reconciler', async () => {
    const conversationId = conv();
    t.fake.addConversation({ ...wireConversation({ conversation_id: conversationId, agent_id: 'agent_test' }), conversation_id: conversationId });
    const running = conv();
    t.fake.addConversation({ ...wireConversation({ conversation_id: running, agent_id: 'agent_test', status: 'in-progress' }), conversation_id: running });
    const result = await t.app.get(ReconcileMissedConversations).execute();
    expect(result.recovered).toEqual([conversationId]);
    // Run again at once: the delivery is stored (processed or not yet), so nothing is fetched or stored twice.
    const fetchesBefore = t.fake.requestsTo(new RegExp(`GET /v1/convai/conversations/${conversationId}$`)).length;
    expect((await t.app.get(ReconcileMissedConversations).execute()).recovered).toEqual([]);
    expect(t.fake.requestsTo(new RegExp(`GET /v1/convai/conversations/${conversationId}$`))).toHaveLength(fetchesBefore);
    expect(await events(`post_call_transcription:${conversationId}`)).toHaveLength(1);
    await processor.drain();
    const summary = await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId });
    expect(summary).toMatchObject({ source: 'reconciler', title: 'Sleep goals', summary: 'The person wants to sleep better.', durationSecs: 95 });
    expect((await events(`post_call_transcription:${conversationId}`))[0]).toMatchObject({ source: 'reconciler', status: 'processed' });
    // A second run finds nothing new; the watermark is stored.
    expect((await t.app.get(ReconcileMissedConversations).execute()).recovered).toEqual([]);
    const [setting] = await t.dataSource.query(`SELECT value FROM settings WHERE key = 'reconciler'`);
    expect(setting.value.agents.agent_test).toEqual(expect.any(Number));
    // The first SDK call in this process loads @elevenlabs/elevenlabs-js (seconds under ts-jest).
  }, 30_000);

  it('maps a signed POST /api/calls to the same summary row, once', async () => {
    const callId = `call_${randomUUID()}`;
    const call = {
      call_id: callId, agent_id: 'agent_9', started_at: '2026-01-05T10:00:00Z', ended_at: '2026-01-05T10:03:00Z', duration_seconds: 180,
      from_number: '+15552223333', to_number: '+15550001111',
      transcript: 'Agent: Acme Dental, how can I help?\nCaller: Hi, this is Maria, I would like to book an appointment.\nCaller: Thank you, that is great!',
      analysis: { call_outcome: 'appointment_booked', summary: 'Maria booked a cleaning.' },
    };
    expect((await deliver(call, '/api/calls')).status).toBe(200);
    expect((await deliver(call, '/api/calls')).body.duplicate).toBe(true);
    const unsigned = await request(t.http).post('/api/calls').send(call);
    expect(unsigned.status).toBe(401);
    await processor.drain();
    const summary = await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId: callId });
    expect(summary).toMatchObject({ source: 'calls_api', outcome: 'resolved', intent: 'scheduling', sentiment: 'positive', callerName: 'Maria', durationSecs: 180, fromNumber: '+15552223333' });
    expect(await count.activity(callId)).toBe(1);
  });

  it('answers conversation-init with every personalisation variable for a known caller, 401 without the secret', async () => {
    const user = await createUser(t.dataSource, { displayName: 'Zoë', phoneNumber: '+14155550199', onboardingPhase: 'coaching' });
    const known = await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').set('x-convai-secret', TEST_INIT_SECRET)
      .send({ caller_id: '+1 415 555 0199', agent_id: 'agent_1', called_number: '+15550001111', call_sid: 'CA1', extra_field: 'ok' });
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ type: 'conversation_initiation_client_data', user_id: user.id });
    expect(known.body.dynamic_variables).toMatchObject({ user_name: 'Zoë', onboarding_phase: 'coaching', conversation_count: '0' });
    for (const name of ['user_name', 'conversation_count', 'last_conversation_summary', 'open_action_items', 'recurring_topics', 'goals', 'coaching_style', 'onboarding_phase', 'selected_goals']) {
      expect(typeof known.body.dynamic_variables[name]).toBe('string');
    }
    // A known caller's call gets a phone session: the post-call webhook matches it, and the agent's tools work.
    const phoneSession = await t.dataSource.getRepository(ConversationSession).findOneByOrFail({ sessionId: known.body.dynamic_variables.session_id });
    expect(phoneSession).toMatchObject({ userId: user.id, channel: 'phone', status: 'active', sessionType: 'coaching' });
    const history = await request(t.http).post('/api/tools/user-history').set('X-Convai-Tool-Token', known.body.dynamic_variables.secret__tool_token).send({});
    expect(history.status).toBe(200);
    const stranger = await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').set('x-convai-secret', TEST_INIT_SECRET).send({ caller_id: '+19995550000' });
    expect(stranger.status).toBe(200);
    expect(Object.values(stranger.body.dynamic_variables)).toEqual(Array(11).fill(''));
    expect(Object.keys(stranger.body.dynamic_variables)).toEqual(expect.arrayContaining(['session_id', 'secret__tool_token']));
    expect((await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').send({ caller_id: '+14155550199' })).status).toBe(401);
    expect((await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').set('x-convai-secret', 'nope').send({})).status).toBe(401);

    const timings: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const t0 = process.hrtime.bigint();
      await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').set('x-convai-secret', TEST_INIT_SECRET).send({ caller_id: '+14155550199' }).expect(200);
      timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    timings.sort((a, b) => a - b);
    expect(timings[98]).toBeLessThan(100); // p99 of 100 sequential requests
  });
});

describe('webhooks without a secret (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ELEVENLABS_WEBHOOK_SECRET: undefined, CONVERSATION_INIT_SECRET: undefined } });
  });
  afterAll(() => t.close());

  it('answers 503 and stores nothing', async () => {
    const body = JSON.stringify(examplePostCallTranscription(conv()));
    const response = await request(t.http).post('/api/webhooks/elevenlabs').set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body);
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/ELEVENLABS_WEBHOOK_SECRET/);
    expect((await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').send({})).status).toBe(503);
  });
});
