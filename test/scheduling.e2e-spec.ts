import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Clock } from '../src/clock/clock.js';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { ActivityEvent } from '../src/dashboard/entities/activity-event.entity.js';
import { ElevenLabsService } from '../src/elevenlabs/elevenlabs.service.js';
import { CallDispatcher } from '../src/scheduling/call-dispatcher.js';
import { CallbacksService } from '../src/scheduling/callbacks.service.js';
import { CallAttempt } from '../src/scheduling/entities/call-attempt.entity.js';
import { CallbackTask } from '../src/scheduling/entities/callback-task.entity.js';
import { WebhookEventProcessor } from '../src/webhooks/webhook-event.processor.js';
import { Setting } from '../src/settings/entities/setting.entity.js';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { adminToken, bearer, createUser, tokenFor, uniqueSub } from './support/factories.js';
import { ScheduledCheckIn } from '../src/scheduling/entities/scheduled-check-in.entity.js';
import { UsersService } from '../src/users/users.service.js';
import { type TestApp, TEST_WEBHOOK_SECRET, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

/** Time the app sees; moved by the tests. */
class FakeClock extends Clock {
  constructor(public ms: number) {
    super();
  }
  override now(): Date {
    return new Date(this.ms);
  }
  set(iso: string): void {
    this.ms = new Date(iso).getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const MINUTE = 60_000;

describe('scheduling: the dispatcher (e2e)', () => {
  let t: TestApp;
  let dispatcher: CallDispatcher;
  let callbacks: CallbacksService;
  const clock = new FakeClock(Date.now());

  beforeAll(async () => {
    t = await createTestApp({ customize: (b) => b.overrideProvider(Clock).useValue(clock) });
    t.fake.now = () => clock.nowMs();
    await t.app.get(ElevenLabsService).warmUp(); // the SDK's import takes seconds on a busy machine
    dispatcher = t.app.get(CallDispatcher);
    callbacks = t.app.get(CallbacksService);
  }, 60_000);
  afterAll(() => t.close());
  beforeEach(() => t.fake.reset());

  /** Outbound-call requests that reached the fake for one task (placed or refused). */
  const dialRequestsFor = (taskId: string) =>
    t.fake.requestsTo(/^POST \/v1\/convai\/twilio\/outbound-call$/).filter((r) => {
      const vars = ((r.body as Record<string, any>)?.conversation_initiation_client_data ?? {}).dynamic_variables ?? {};
      return vars.task_id === taskId;
    });
  const placedFor = (taskId: string) => t.fake.outboundCalls.filter((c) => (c.body.conversation_initiation_client_data as any)?.dynamic_variables?.task_id === taskId);
  const task = (id: string) => t.dataSource.getRepository(CallbackTask).findOneByOrFail({ id });
  const attempts = (taskId: string) => t.dataSource.getRepository(CallAttempt).find({ where: { taskId }, order: { attemptNo: 'ASC' } });
  const deliver = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    await request(t.http)
      .post('/api/webhooks/elevenlabs')
      .set('Content-Type', 'application/json')
      .set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET, Math.floor(clock.nowMs() / 1000)))
      .send(body)
      .expect(200);
    await t.app.get(WebhookEventProcessor).drain();
  };
  async function dueCallback(overrides: { timezone?: string; maxAttempts?: number; userTimezone?: string } = {}) {
    const user = await createUser(t.dataSource, { displayName: 'Maria "Mia" López', phoneNumber: '+14155550123', timezone: overrides.userTimezone ?? 'UTC' });
    const created = await callbacks.createCallback({ userId: user.id, phoneNumber: '+14155550123', dueAt: clock.now(), reason: 'follow up on sleep', maxAttempts: overrides.maxAttempts, timezone: overrides.timezone });
    return { user, created };
  }

  it('dials a due callback once with the documented body: to_number, agent, phone number id, every dynamic variable a string', async () => {
    clock.set('2030-03-05T12:00:00Z');
    const { user, created } = await dueCallback();
    await dispatcher.drain();
    await dispatcher.drain();

    const placed = placedFor(created.id);
    expect(placed).toHaveLength(1);
    const body = placed[0].body as Record<string, any>;
    expect(body).toMatchObject({ agent_id: 'agent_test', agent_phone_number_id: 'phnum_test', to_number: '+14155550123' });
    const clientData = body.conversation_initiation_client_data;
    expect(clientData.user_id).toBe(user.id);
    const variables = clientData.dynamic_variables as Record<string, unknown>;
    for (const name of ['user_name', 'conversation_count', 'last_conversation_summary', 'open_action_items', 'recurring_topics', 'goals', 'coaching_style', 'onboarding_phase', 'selected_goals', 'user_id', 'task_id', 'attempt_id']) {
      expect(typeof variables[name]).toBe('string');
    }
    expect(Object.values(variables).every((value) => typeof value === 'string')).toBe(true);
    expect(variables).toMatchObject({ user_name: 'Maria "Mia" López', user_id: user.id, task_id: created.id });
    // The agent's tools work on the outbound call: the dial carries a phone session and its tool token.
    expect(variables.session_id).toMatch(/^sess_[0-9a-f]{32}$/);
    const history = await request(t.http).post('/api/tools/user-history').set('X-Convai-Tool-Token', String(variables.secret__tool_token)).send({});
    expect(history.status).toBe(200);
    expect(history.body).toHaveProperty('openActionItems');

    const [attempt] = await attempts(created.id);
    expect(variables.attempt_id).toBe(attempt.id);
    expect(attempt).toMatchObject({ attemptNo: 1, status: 'initiated', conversationId: placed[0].conversationId });
    expect(attempt.callSid).toMatch(/^CA/);
    expect(await task(created.id)).toMatchObject({ status: 'in_progress', attempts: 1, conversationId: placed[0].conversationId, callSid: attempt.callSid });
  });

  it('a 500 then a success: two attempts, one call placed', async () => {
    clock.set('2030-03-06T12:00:00Z');
    t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, status: 500, times: 1 });
    const { created } = await dueCallback();
    await dispatcher.drain();
    const afterFailure = await task(created.id);
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFailure.lastError).toContain('500');
    const delay = afterFailure.nextAttemptAt.getTime() - clock.nowMs();
    expect(delay).toBeGreaterThanOrEqual(2 * MINUTE);
    expect(delay).toBeLessThanOrEqual(2.4 * MINUTE);

    await dispatcher.drain(); // not due yet
    expect(dialRequestsFor(created.id)).toHaveLength(1);
    clock.advance(3 * MINUTE);
    await dispatcher.drain();

    expect(dialRequestsFor(created.id)).toHaveLength(2);
    expect(placedFor(created.id)).toHaveLength(1);
    expect((await attempts(created.id)).map((a) => [a.attemptNo, a.status])).toEqual([
      [1, 'failed'],
      [2, 'initiated'],
    ]);
    expect(await task(created.id)).toMatchObject({ status: 'in_progress', attempts: 2 });
  });

  it('busy → retried after the backoff → completed by the post-call webhook, linked to its conversation', async () => {
    clock.set('2030-03-07T12:00:00Z');
    const { user, created } = await dueCallback();
    await dispatcher.drain();
    const first = placedFor(created.id)[0];
    await deliver({
      type: 'call_initiation_failure',
      event_timestamp: Math.floor(clock.nowMs() / 1000),
      data: { agent_id: 'agent_test', conversation_id: first.conversationId, failure_reason: 'busy', metadata: { type: 'twilio', body: { CallStatus: 'busy', SipResponseCode: '486' } } },
    });
    const waiting = await task(created.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting.lastError).toContain('busy');
    expect((await attempts(created.id))[0]).toMatchObject({ status: 'failed' });

    clock.advance(1 * MINUTE);
    await dispatcher.drain();
    expect(placedFor(created.id)).toHaveLength(1); // still backing off
    clock.advance(2 * MINUTE);
    await dispatcher.drain();
    const placed = placedFor(created.id);
    expect(placed).toHaveLength(2);

    // The summary webhook of the second call names the conversation; the same delivery twice changes nothing.
    const finished = examplePostCallTranscription(placed[1].conversationId);
    finished.data.conversation_initiation_client_data.dynamic_variables = (placed[1].body.conversation_initiation_client_data as any).dynamic_variables;
    await deliver(finished);
    await deliver(finished);
    expect(await task(created.id)).toMatchObject({ status: 'completed', conversationId: placed[1].conversationId, attempts: 2 });
    expect((await attempts(created.id)).map((a) => a.status)).toEqual(['failed', 'completed']);
    // The summary is matched to the person through the dial (scheduling's findDial), not the payload's user_id.
    const summary = await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId: placed[1].conversationId });
    expect(summary.userId).toBe(user.id);
    await dispatcher.drain();
    expect(placedFor(created.id)).toHaveLength(2);
  });

  it('a post-call webhook carrying only task_id/attempt_id still completes its task', async () => {
    clock.set('2030-03-08T12:00:00Z');
    const { created } = await dueCallback();
    await dispatcher.drain();
    const placed = placedFor(created.id)[0];
    const finished = examplePostCallTranscription(`conv_other_${randomUUID().slice(0, 8)}`, { task_id: created.id, attempt_id: (placed.body.conversation_initiation_client_data as any).dynamic_variables.attempt_id });
    await deliver(finished);
    expect(await task(created.id)).toMatchObject({ status: 'completed' });
  });

  it('max attempts used up → failed with last_error and an activity event', async () => {
    clock.set('2030-03-09T12:00:00Z');
    t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, status: 503 });
    const { created } = await dueCallback({ maxAttempts: 2 });
    await dispatcher.drain();
    clock.advance(10 * MINUTE);
    await dispatcher.drain();
    clock.advance(60 * MINUTE);
    await dispatcher.drain();

    expect(dialRequestsFor(created.id)).toHaveLength(2);
    const failed = await task(created.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed.lastError).toMatch(/503|busy|System/i);
    const events = await t.dataSource.getRepository(ActivityEvent).createQueryBuilder('e').where(`e.data->>'taskId' = :id`, { id: created.id }).getMany();
    expect(events.map((e) => e.type)).toEqual(['callback_failed']);
    expect(events[0].title).toContain('2 attempts');
  });

  it('a 422 from ElevenLabs fails at once, saying what to check', async () => {
    clock.set('2030-03-10T12:00:00Z');
    // Earlier tests' tasks still pending come due at this later time and would take the one-off fault first.
    await dispatcher.drain();
    t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, status: 422, times: 1 });
    const { created } = await dueCallback({ maxAttempts: 5 });
    await dispatcher.drain();
    const failed = await task(created.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('422');
    expect(failed.lastError).toContain('/api/settings/agent');
    clock.advance(120 * MINUTE);
    await dispatcher.drain();
    expect(dialRequestsFor(created.id)).toHaveLength(1);
  });

  it('a 3 am local due time waits for 08:00 local, and is dialled then', async () => {
    // 2030-03-12 03:00 in Berlin (CET, UTC+1) = 02:00 UTC.
    clock.set('2030-03-12T02:00:00Z');
    const { created } = await dueCallback({ userTimezone: 'Europe/Berlin' });
    await dispatcher.drain();
    expect(dialRequestsFor(created.id)).toHaveLength(0);
    const waiting = await task(created.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting.nextAttemptAt.toISOString()).toBe('2030-03-12T07:00:00.000Z');
    expect(await attempts(created.id)).toHaveLength(0);

    clock.set('2030-03-12T06:59:00Z');
    await dispatcher.drain();
    expect(dialRequestsFor(created.id)).toHaveLength(0);
    clock.set('2030-03-12T07:00:30Z');
    await dispatcher.drain();
    expect(placedFor(created.id)).toHaveLength(1);
  });

  it('a crash after the dial left the attempt open: the call is found at ElevenLabs and linked, not redialled', async () => {
    clock.set('2030-03-13T12:00:00Z');
    // ElevenLabs places the call but the answer never arrives (the process died, or the connection did).
    t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, drop: true, times: 1 });
    const { created } = await dueCallback();
    await dispatcher.drain();
    expect(placedFor(created.id)).toHaveLength(1);
    expect(await task(created.id)).toMatchObject({ status: 'dialing', attempts: 1 });

    clock.advance(30_000);
    expect(await dispatcher.recoverStaleDials()).toBe(0); // younger than a minute: maybe still in flight
    clock.advance(31_000);
    await dispatcher.recoverStaleDials();
    await dispatcher.drain();

    const placed = placedFor(created.id);
    expect(placed).toHaveLength(1);
    expect(t.fake.requestsTo(/^GET \/v1\/convai\/conversations$/).some((r) => r.query.user_id === (placed[0].body.conversation_initiation_client_data as any).user_id)).toBe(true);
    expect(await task(created.id)).toMatchObject({ status: 'in_progress', attempts: 1, conversationId: placed[0].conversationId });
    expect((await attempts(created.id)).map((a) => [a.status, a.conversationId])).toEqual([['initiated', placed[0].conversationId]]);
  });

  it('a crash before the request reached ElevenLabs: the attempt is unknown and the task gets a new attempt', async () => {
    clock.set('2030-03-14T12:00:00Z');
    t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, dropBeforeHandling: true, times: 1 });
    const { created } = await dueCallback();
    await dispatcher.drain();
    expect(placedFor(created.id)).toHaveLength(0);
    clock.advance(61_000);
    await dispatcher.recoverStaleDials();
    const retried = await task(created.id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1 });
    clock.advance(3 * MINUTE);
    await dispatcher.drain();
    expect(placedFor(created.id)).toHaveLength(1);
    expect((await attempts(created.id)).map((a) => [a.attemptNo, a.status])).toEqual([
      [1, 'unknown'],
      [2, 'initiated'],
    ]);
  });

  describe('weekly check-ins', () => {
    const checkIns = () => t.dataSource.getRepository(ScheduledCheckIn);
    async function createWeekly(scheduledFor: string) {
      const user = await createUser(t.dataSource, { phoneNumber: '+4915112345678', timezone: 'Europe/Berlin' });
      const response = await request(t.http)
        .post('/api/check-ins')
        .set(bearer(adminToken()))
        .send({ userId: user.id, scheduledFor, recurrence: 'FREQ=WEEKLY;BYDAY=MO', channel: 'call' });
      expect([response.status, response.body.message]).toEqual([201, undefined]);
      return response.body as { id: string; scheduledFor: string; recurrence: string; channel: string; status: string };
    }

    it('completing one creates the next occurrence once, at the same local time across the DST change', async () => {
      // Monday 2030-03-25 09:00 in Berlin is 08:00 UTC (CET); clocks go forward on Sunday 2030-03-31.
      clock.set('2030-03-25T08:00:00Z');
      const first = await createWeekly('2030-03-25T09:00:00+01:00');
      expect(first).toMatchObject({ scheduledFor: '2030-03-25T08:00:00.000Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO', channel: 'call', status: 'pending' });
      await dispatcher.drain();
      const placed = t.fake.outboundCalls.filter((c) => (c.body.conversation_initiation_client_data as any).dynamic_variables.task_id === first.id);
      expect(placed).toHaveLength(1);
      expect(placed[0].body.to_number).toBe('+4915112345678');

      const finished = examplePostCallTranscription(placed[0].conversationId);
      await deliver(finished);
      await deliver({ ...finished, event_timestamp: finished.event_timestamp + 1 }); // a second delivery of the same call
      expect(await checkIns().findOneByOrFail({ id: first.id })).toMatchObject({ status: 'completed', conversationId: placed[0].conversationId });
      const next = await checkIns().findBy({ previousCheckInId: first.id });
      expect(next).toHaveLength(1);
      // 09:00 Berlin summer time (CEST, UTC+2) is 07:00 UTC.
      expect(next[0]).toMatchObject({ status: 'pending', recurrence: 'FREQ=WEEKLY;BYDAY=MO', attempts: 0 });
      expect(next[0].scheduledFor.toISOString()).toBe('2030-04-01T07:00:00.000Z');
      expect(next[0].nextAttemptAt.toISOString()).toBe('2030-04-01T07:00:00.000Z');
    });

    it('a final failure also continues the series', async () => {
      clock.set('2030-04-15T08:00:00Z');
      const first = await createWeekly('2030-04-15T10:00:00+02:00');
      t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, status: 401 }); // (older tests' next occurrences are due too)
      await dispatcher.drain();
      const failed = await checkIns().findOneByOrFail({ id: first.id });
      expect(failed.status).toBe('failed');
      expect(failed.lastError).toContain('ELEVENLABS_API_KEY');
      const next = await checkIns().findBy({ previousCheckInId: first.id });
      expect(next.map((row) => row.scheduledFor.toISOString())).toEqual(['2030-04-22T08:00:00.000Z']);
    });
  });

  describe('the API', () => {
    const admin = adminToken();
    const idOf = async (sub: string) => (await t.app.get(UsersService).findByExternalId(sub))!.id;
    const inHours = (hours: number) => new Date(clock.nowMs() + hours * 3600_000).toISOString();
    beforeEach(() => clock.set('2030-05-06T12:00:00Z'));

    it('refuses bad input with 400s naming the field, and sms check-ins with 422', async () => {
      const user = await createUser(t.dataSource, { phoneNumber: '+14155550123' });
      const post = (body: Record<string, unknown>) => request(t.http).post('/api/callbacks').set(bearer(admin)).send(body);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ phoneNumber: '12', dueAt: inHours(1) }, 'phoneNumber'],
        [{ phoneNumber: '+14155550123', dueAt: '2020-01-01T00:00:00Z' }, 'dueAt'],
        [{ phoneNumber: '+14155550123', dueAt: 'tomorrow' }, 'dueAt'],
        [{ phoneNumber: '+14155550123', dueAt: inHours(1), timezone: 'Mars/Olympus' }, 'timezone'],
        [{ phoneNumber: '+14155550123', dueAt: inHours(1), maxAttempts: 11 }, 'maxAttempts'],
        [{ phoneNumber: '+14155550123', dueAt: inHours(1), maxAttempts: 0 }, 'maxAttempts'],
        [{ dueAt: inHours(1) }, 'userId'],
        [{ phoneNumber: '+14155550123', dueAt: inHours(1), priority: 'high' }, 'priority'],
      ];
      for (const [body, field] of cases) {
        const response = await post(body);
        expect([response.status, JSON.stringify(response.body.message)]).toEqual([400, expect.stringContaining(field)]);
        expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
      const checkIn = (body: Record<string, unknown>) => request(t.http).post('/api/check-ins').set(bearer(admin)).send({ userId: user.id, scheduledFor: inHours(1), channel: 'call', ...body });
      const badRule = await checkIn({ recurrence: 'FREQ=SOMETIMES' });
      expect([badRule.status, badRule.body.message]).toEqual([400, expect.stringContaining('recurrence')]);
      const sms = await checkIn({ channel: 'sms' });
      expect(sms.status).toBe(422);
      expect(sms.body.message).toContain('sms');
      expect(await t.dataSource.getRepository(CallbackTask).countBy({ phoneNumber: '+14155550123', dueAt: new Date('2020-01-01T00:00:00Z') })).toBe(0);
    });

    it('a user manages their own callbacks only; an admin sees everyone’s', async () => {
      const sub = uniqueSub();
      const mine = tokenFor({ sub, phone_number: '+14155550177' });
      const other = tokenFor({ phone_number: '+14155550188' });
      const created = await request(t.http).post('/api/callbacks').set(bearer(mine)).send({ dueAt: inHours(2), reason: 'after lunch' }).expect(201);
      expect(created.body).toMatchObject({ userId: await idOf(sub), phoneNumber: '+14155550177', status: 'pending', maxAttempts: 3, conversationId: null, lastError: null });
      const refused = await request(t.http).post('/api/callbacks').set(bearer(mine)).send({ dueAt: inHours(2), phoneNumber: '+14155550199' });
      expect([refused.status, refused.body.message]).toEqual([400, expect.stringContaining('phoneNumber')]);

      await request(t.http).get(`/api/callbacks/${created.body.id}`).set(bearer(other)).expect(404);
      await request(t.http).delete(`/api/callbacks/${created.body.id}`).set(bearer(other)).expect(404);
      const othersList = await request(t.http).get('/api/callbacks').set(bearer(other)).expect(200);
      expect(othersList.body.items.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
      const ownList = await request(t.http).get('/api/callbacks').set(bearer(mine)).expect(200);
      expect(ownList.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
      const adminList = await request(t.http).get(`/api/callbacks?userId=${await idOf(sub)}`).set(bearer(admin)).expect(200);
      expect(adminList.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
      await request(t.http).post(`/api/callbacks/${created.body.id}/retry`).set(bearer(mine)).expect(403);

      const moved = await request(t.http).patch(`/api/callbacks/${created.body.id}`).set(bearer(mine)).send({ dueAt: inHours(5) }).expect(200);
      expect(moved.body).toMatchObject({ dueAt: inHours(5), nextAttemptAt: inHours(5), status: 'pending' });
      const cancelled = await request(t.http).delete(`/api/callbacks/${created.body.id}`).set(bearer(mine)).expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      const again = await request(t.http).patch(`/api/callbacks/${created.body.id}`).set(bearer(mine)).send({ dueAt: inHours(6) });
      expect([again.status, again.body.message]).toEqual([409, expect.stringContaining('cancelled')]);
    });

    it('a task being dialled answers 409 to a move or a cancel', async () => {
      const created = await request(t.http).post('/api/callbacks').set(bearer(admin)).send({ phoneNumber: '+14155550123', dueAt: inHours(1) }).expect(201);
      // A claim holds the row lock while it marks the task dialing.
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT id FROM callback_tasks WHERE id = $1 FOR UPDATE', [created.body.id]);
        const locked = await request(t.http).patch(`/api/callbacks/${created.body.id}`).set(bearer(admin)).send({ dueAt: inHours(3) });
        expect([locked.status, locked.body.message]).toEqual([409, expect.stringContaining('being dialled')]);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      await t.dataSource.getRepository(CallbackTask).update({ id: created.body.id }, { status: 'dialing' });
      const dialing = await request(t.http).delete(`/api/callbacks/${created.body.id}`).set(bearer(admin));
      expect([dialing.status, dialing.body.message]).toEqual([409, expect.stringContaining('being dialled')]);
      expect((await task(created.body.id)).status).toBe('dialing');
    });

    it('call now: a trigger is a callback with one attempt row, dialled exactly once; retry gives a failed one one more attempt', async () => {
      const user = await createUser(t.dataSource, { phoneNumber: '+14155550123' });
      t.fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, status: 500 }); // every due dial (older tests' series too)
      const triggered = await request(t.http).post('/api/calls/trigger').set(bearer(admin)).send({ userId: user.id, reason: 'urgent' }).expect(201);
      expect(triggered.body).toMatchObject({ userId: user.id, phoneNumber: '+14155550123', reason: 'urgent', maxAttempts: 1, status: 'pending' });
      await dispatcher.drain();
      const failed = await request(t.http).get(`/api/callbacks/${triggered.body.id}`).set(bearer(admin)).expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', attempts: 1 });
      const listed = await request(t.http).get(`/api/callbacks/${triggered.body.id}/attempts`).set(bearer(admin)).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ attemptNo: 1, status: 'failed', taskType: 'callback' })]);

      t.fake.reset(); // ElevenLabs answers again
      const retried = await request(t.http).post(`/api/callbacks/${triggered.body.id}/retry`).set(bearer(admin)).expect(200);
      expect(retried.body).toMatchObject({ status: 'pending', attempts: 1, maxAttempts: 2, lastError: null });
      await request(t.http).post(`/api/callbacks/${triggered.body.id}/retry`).set(bearer(admin)).expect(409);
      await dispatcher.drain();
      expect(placedFor(triggered.body.id)).toHaveLength(1);
      expect((await attempts(triggered.body.id)).map((a) => [a.attemptNo, a.status])).toEqual([
        [1, 'failed'],
        [2, 'initiated'],
      ]);
    });
  });
});

describe('scheduling without an outbound phone number (e2e)', () => {
  let t: TestApp;
  let saved: Setting | null;
  beforeAll(async () => {
    t = await createTestApp({ env: { ELEVENLABS_PHONE_NUMBER_ID: undefined } });
    // The agent setting wins over the environment: make sure it names no phone number either (restored after).
    const settings = t.dataSource.getRepository(Setting);
    saved = await settings.findOneBy({ key: 'agent' });
    await settings.save({ key: 'agent', value: { ...(saved?.value ?? {}), phone_number_id: null } });
  }, 60_000);
  afterAll(async () => {
    const settings = t.dataSource.getRepository(Setting);
    if (saved) await settings.save(saved);
    else await settings.delete({ key: 'agent' });
    await t.close();
  });

  it('a due callback fails at once, saying what to set, and nothing is dialled', async () => {
    // (The settings are checked before the call window, so the time of day of this run does not matter.)
    const created = await t.app.get(CallbacksService).createCallback({ userId: null, phoneNumber: '+14155550123', dueAt: new Date() });
    await t.app.get(CallDispatcher).drain();
    const failed = await t.dataSource.getRepository(CallbackTask).findOneByOrFail({ id: created.id });
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toContain('ELEVENLABS_PHONE_NUMBER_ID');
    expect(failed.lastError).toContain('PUT /api/settings/agent');
    expect(t.fake.requestsTo(/outbound-call/)).toHaveLength(0);
    expect(await t.dataSource.getRepository(CallAttempt).countBy({ taskId: created.id })).toBe(0);
  });
});
