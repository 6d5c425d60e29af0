import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { ActivityService } from '../src/dashboard/activity.service.js';
import { WebhookEventProcessor } from '../src/webhooks/webhook-event.processor.js';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { adminToken, bearer, createRoom, createUser, tokenFor } from './support/factories.js';
import { TEST_WEBHOOK_SECRET, type TestApp, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

const unique = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Aggregates against hand-counted fixtures. The fixture calls sit in March 2021 (no other spec writes there), so
 * exact counts hold whatever else the shared test database holds; "today" and "due" figures, which cannot be moved
 * in time, are checked as the difference our rows make.
 *
 * Fixtures (Asia/Kolkata is UTC+05:30; its midnight of 2021-03-02 is 2021-03-01T18:30Z):
 *   A webhook   2021-03-01T18:20Z = Mar 1 23:50 IST  appointment_booked → resolved   60 s
 *   B webhook   2021-03-01T18:40Z = Mar 2 00:10 IST  escalated                       120 s
 *   C /api/calls 2021-03-03T10:00Z = Mar 3 15:30 IST  appointment_booked → resolved   30 s
 *   D SQL       2021-03-02T20:00Z = Mar 3 01:30 IST  unresolved, billing, negative   no duration
 *   E SQL       2021-03-03T18:29Z = Mar 3 23:59 IST  resolved, coaching, positive     90 s
 *   F SQL       2021-03-03T18:31Z = Mar 4 00:01 IST  callback_scheduled, neutral     40 s
 *   G SQL       2021-02-28T18:29Z = Feb 28 23:59 IST (before the range)              10 s
 * Range 2021-03-01..2021-03-05 in Kolkata: per day [1, 1, 3, 1, 0] (Mar 5 has no calls); in UTC: [2, 1, 3, 0, 0].
 */
describe('dashboard API (e2e)', () => {
  let t: TestApp;
  let processor: WebhookEventProcessor;
  const admin = bearer(adminToken());
  const ids: Record<string, string> = {};
  let userId: string;
  let roomId: string;

  const deliver = (payload: unknown, path = '/api/webhooks/elevenlabs') => {
    const body = JSON.stringify(payload);
    return request(t.http).post(path).set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body);
  };
  const postCall = (startIso: string, outcome: string, duration: number, title: string) => {
    const payload = examplePostCallTranscription(unique('conv_dash'));
    const data = payload.data as Record<string, any>;
    data.user_id = unique('nobody');
    data.conversation_initiation_client_data.user_id = data.user_id;
    data.metadata = { ...data.metadata, start_time_unix_secs: unix(startIso), call_duration_secs: duration, phone_call: null };
    data.analysis = { ...data.analysis, call_summary_title: title, data_collection_results: { call_outcome: { data_collection_id: 'call_outcome', value: outcome } } };
    return { payload, conversationId: data.conversation_id as string };
  };
  const insertSummary = async (values: Record<string, unknown>) => {
    const columns = Object.keys(values);
    const rows = await t.dataSource.query(
      `INSERT INTO conversation_summaries (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(values),
    );
    return rows[0].id as string;
  };
  const dashboard = (query: string, auth = admin) => request(t.http).get(`/api/dashboard?${query}`).set(auth);
  const calls = (query: string) => request(t.http).get(`/api/calls?${query}`).set(admin);
  const storedSentiment = async (id: string) => (await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ id })).sentiment;

  beforeAll(async () => {
    t = await createTestApp();
    processor = t.app.get(WebhookEventProcessor);
    userId = (await createUser(t.dataSource, { displayName: 'Dana Dashboard' })).id;
    roomId = (await createRoom(t.dataSource)).id;

    // Through the app: two signed post_call_transcription webhooks and one signed POST /api/calls.
    const a = postCall('2021-03-01T18:20:00Z', 'appointment_booked', 60, 'Booked the annual check-up');
    const b = postCall('2021-03-01T18:40:00Z', 'escalated', 120, 'Handed to a human');
    expect((await deliver(a.payload)).status).toBe(200);
    expect((await deliver(b.payload)).status).toBe(200);
    const callId = unique('call_dash');
    const flat = {
      call_id: callId, started_at: '2021-03-03T10:00:00Z', duration_seconds: 30, from_number: '+15557770001',
      transcript: 'Agent: Hello.\nCaller: I would like to book an appointment.', analysis: { call_outcome: 'appointment_booked', summary: 'Booked a cleaning for Friday.' },
    };
    expect((await deliver(flat, '/api/calls')).status).toBe(200);
    await processor.drain();
    const byConversation = async (conversationId: string) => (await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId })).id;
    ids.A = await byConversation(a.conversationId);
    ids.B = await byConversation(b.conversationId);
    ids.C = await byConversation(callId);

    // Through plain SQL, as an import or a backfill would write them: the trigger counts these too.
    ids.D = await insertSummary({
      conversation_id: unique('sql'), started_at: '2021-03-02T20:00:00Z', outcome: 'unresolved', intent: 'billing', sentiment: 'negative',
      title: 'Invoice question', summary: 'The caller disputed a double charge for zebrafish food.', user_id: userId, room_id: roomId, source: 'webhook',
    });
    ids.E = await insertSummary({
      conversation_id: unique('sql'), started_at: '2021-03-03T18:29:00Z', outcome: 'resolved', intent: 'coaching', sentiment: 'positive', duration_secs: 90,
      title: 'Quokka habit follow-up', summary: 'Weekly coaching on sleep.', source: 'webhook',
    });
    ids.F = await insertSummary({
      conversation_id: unique('sql'), started_at: '2021-03-03T18:31:00Z', outcome: 'callback_scheduled', intent: 'general_inquiry', sentiment: 'neutral', duration_secs: 40, source: 'webhook',
    });
    ids.G = await insertSummary({
      conversation_id: unique('sql'), started_at: '2021-02-28T18:29:00Z', outcome: 'resolved', intent: 'coaching', sentiment: 'positive', duration_secs: 10, source: 'webhook',
    });
    // Callbacks that failed inside and outside the range.
    await t.dataSource.query(
      `INSERT INTO callback_tasks (phone_number, reason, due_at, next_attempt_at, status, attempts, updated_at) VALUES
         ('+15550000001', 'in range', '2021-03-02T09:00Z', '2021-03-02T09:00Z', 'failed', 3, '2021-03-02T10:00Z'),
         ('+15550000002', 'before the range', '2021-02-01T09:00Z', '2021-02-01T09:00Z', 'failed', 3, '2021-02-01T10:00Z')`,
    );
  }, 60_000);
  afterAll(() => t?.close());

  it('counts every figure of the range in Asia/Kolkata, including both sides of local midnight and an empty day', async () => {
    const response = await dashboard('from=2021-03-01&to=2021-03-05&tz=Asia/Kolkata');
    expect(response.status).toBe(200);
    const sentiments: Record<string, number> = { negative: 1, positive: 1, neutral: 1 };
    for (const id of [ids.A, ids.B, ids.C]) {
      const sentiment = (await storedSentiment(id)) ?? 'unknown';
      sentiments[sentiment] = (sentiments[sentiment] ?? 0) + 1;
    }
    expect(response.body).toMatchObject({
      from: '2021-03-01',
      to: '2021-03-05',
      tz: 'Asia/Kolkata',
      totalCalls: 6,
      appointmentsBooked: 2,
      escalations: 1,
      callbacksFailed: 1,
      successRate: 0.5,
      averageDurationSecs: 68,
      totalDurationSecs: 340,
      callsPerDay: [
        { date: '2021-03-01', count: 1 },
        { date: '2021-03-02', count: 1 },
        { date: '2021-03-03', count: 3 },
        { date: '2021-03-04', count: 1 },
        { date: '2021-03-05', count: 0 },
      ],
      outcomes: { resolved: 3, escalated: 1, unresolved: 1, callback_scheduled: 1 },
    });
    expect(Object.keys(response.body.outcomes).sort()).toEqual(['callback_scheduled', 'escalated', 'resolved', 'unresolved']);
    expect(response.body.sentiments).toEqual(sentiments);
    // A and C: appointment_booked implies scheduling; B's intent is inferred from its transcript by the NLP mapper.
    const intents: Record<string, number> = { scheduling: 2, billing: 1, coaching: 1, general_inquiry: 1 };
    const intentOfB = (await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ id: ids.B })).intent ?? 'unknown';
    intents[intentOfB] = (intents[intentOfB] ?? 0) + 1;
    expect(response.body.intents).toEqual(intents);
  });

  it('cuts the same calls into UTC days differently', async () => {
    const response = await dashboard('from=2021-03-01&to=2021-03-05&tz=UTC');
    expect(response.status).toBe(200);
    expect(response.body.callsPerDay.map((day: { count: number }) => day.count)).toEqual([2, 1, 3, 0, 0]);
    expect(response.body.totalCalls).toBe(6); // G (Feb 28 18:29Z) is still outside; F moves to Mar 3
    // Kolkata's Mar 1 ends at 18:30Z: only A; New York (UTC-5 in March) puts A and B on Mar 1 and E, F on Mar 3 as well.
    const newYork = await dashboard('from=2021-02-28&to=2021-03-01&tz=America/New_York');
    expect(newYork.body.callsPerDay).toEqual([
      { date: '2021-02-28', count: 1 }, // G at 13:29 local
      { date: '2021-03-01', count: 2 }, // A 13:20, B 13:40
    ]);
  });

  it('answers zeros, not gaps, for a range with no calls', async () => {
    const response = await dashboard('from=2021-06-01&to=2021-06-03&tz=Asia/Kathmandu');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      totalCalls: 0, appointmentsBooked: 0, escalations: 0, successRate: null, averageDurationSecs: null, totalDurationSecs: 0,
      callsPerDay: [{ date: '2021-06-01', count: 0 }, { date: '2021-06-02', count: 0 }, { date: '2021-06-03', count: 0 }],
      outcomes: {}, intents: {}, sentiments: {},
    });
  });

  it('keeps the rollups right when calls are updated or deleted by SQL', async () => {
    const before = await dashboard('from=2021-03-01&to=2021-03-05&tz=Asia/Kolkata');
    // D becomes resolved and moves to Mar 4 (IST); F is deleted.
    await t.dataSource.query(`UPDATE conversation_summaries SET outcome = 'resolved', started_at = '2021-03-04T10:00Z', duration_secs = 100 WHERE id = $1`, [ids.D]);
    await t.dataSource.query(`DELETE FROM conversation_summaries WHERE id = $1`, [ids.F]);
    const after = await dashboard('from=2021-03-01&to=2021-03-05&tz=Asia/Kolkata');
    expect(before.body.callsPerDay.map((day: { count: number }) => day.count)).toEqual([1, 1, 3, 1, 0]);
    expect(after.body.callsPerDay.map((day: { count: number }) => day.count)).toEqual([1, 1, 2, 1, 0]);
    expect(after.body).toMatchObject({ totalCalls: 5, successRate: 0.8, totalDurationSecs: 400, averageDurationSecs: 80, outcomes: { resolved: 4, escalated: 1 } });
    expect(after.body.outcomes).not.toHaveProperty('unresolved');
    expect(after.body.outcomes).not.toHaveProperty('callback_scheduled');
    // Put D back where the other tests expect it; F is restored as a new row.
    await t.dataSource.query(`UPDATE conversation_summaries SET outcome = 'unresolved', started_at = '2021-03-02T20:00Z', duration_secs = NULL WHERE id = $1`, [ids.D]);
    ids.F = await insertSummary({
      conversation_id: unique('sql'), started_at: '2021-03-03T18:31:00Z', outcome: 'callback_scheduled', intent: 'general_inquiry', sentiment: 'neutral', duration_secs: 40, source: 'webhook',
    });
    expect((await dashboard('from=2021-03-01&to=2021-03-05&tz=Asia/Kolkata')).body).toMatchObject({ totalCalls: 6, totalDurationSecs: 340 });
  });

  it('counts calls today in the requested zone: just after local midnight counts, just before does not', async () => {
    const tz = 'Asia/Kathmandu'; // UTC+05:45
    const todayStart = DateTime.now().setZone(tz).startOf('day');
    const before = await dashboard(`tz=${tz}`);
    await insertSummary({ conversation_id: unique('today'), started_at: todayStart.plus({ seconds: 30 }).toISO(), outcome: 'resolved', source: 'webhook' });
    await insertSummary({ conversation_id: unique('yesterday'), started_at: todayStart.minus({ seconds: 30 }).toISO(), outcome: 'resolved', source: 'webhook' });
    const after = await dashboard(`tz=${tz}`);
    expect(after.status).toBe(200);
    expect(after.body.callsToday - before.body.callsToday).toBe(1);
    // The default range is the last 7 local days, ending today.
    expect(after.body.to).toBe(todayStart.toISODate());
    expect(after.body.from).toBe(todayStart.minus({ days: 6 }).toISODate());
    expect(after.body.callsPerDay).toHaveLength(7);
    expect(after.body.callsPerDay[6].count - before.body.callsPerDay[6].count).toBe(1);
    expect(after.body.callsPerDay[5].count - before.body.callsPerDay[5].count).toBe(1);
  });

  it('counts callbacks due (pending, next attempt before the end of today) whatever the range', async () => {
    const before = await dashboard('from=2021-03-01&to=2021-03-05&tz=UTC');
    await t.dataSource.query(
      `INSERT INTO callback_tasks (phone_number, due_at, next_attempt_at, status) VALUES
         ('+15550000011', now() - interval '2 hours', now() - interval '1 hour', 'pending'),
         ('+15550000012', now() + interval '3 days', now() + interval '3 days', 'pending'),
         ('+15550000013', now() - interval '2 hours', now() - interval '2 hours', 'completed')`,
    );
    const after = await dashboard('from=2021-03-01&to=2021-03-05&tz=UTC');
    expect(after.body.callbacksDue - before.body.callbacksDue).toBe(1);
  });

  it("defaults tz to the admin's own zone, else UTC", async () => {
    const inKolkata = await dashboard('from=2021-03-01&to=2021-03-01', bearer(adminToken({ zoneinfo: 'Asia/Kolkata' })));
    expect(inKolkata.body).toMatchObject({ tz: 'Asia/Kolkata', callsPerDay: [{ date: '2021-03-01', count: 1 }] });
    const plain = await dashboard('from=2021-03-01&to=2021-03-01');
    expect(plain.body).toMatchObject({ tz: 'UTC', callsPerDay: [{ date: '2021-03-01', count: 2 }] });
  });

  it.each([
    ['tz=Mars/Olympus', /tz must be an IANA time zone.*Mars\/Olympus/],
    ['from=2021-3-1', /from must be a date YYYY-MM-DD/],
    ['to=2021-02-30', /to must be a date YYYY-MM-DD/],
    ['from=2021-03-05&to=2021-03-01', /from \(2021-03-05\) must not be after to \(2021-03-01\)/],
    ['from=2019-01-01&to=2021-01-01', /at most 366/],
    ['colour=red', /property colour should not exist/],
  ])('answers 400 naming the field for %s', async (query, message) => {
    const response = await dashboard(query);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect([response.body.message].flat().join(' ')).toMatch(message);
  });

  it('is for admins only', async () => {
    expect((await dashboard('', bearer(tokenFor()))).status).toBe(403);
    expect((await request(t.http).get('/api/dashboard')).status).toBe(401);
    expect((await request(t.http).get('/api/calls').set(bearer(tokenFor()))).status).toBe(403);
    expect((await request(t.http).get('/api/activity').set(bearer(tokenFor()))).status).toBe(403);
  });

  describe('GET /api/calls', () => {
    const range = 'from=2021-03-01&to=2021-03-05&tz=Asia/Kolkata';
    const idsOf = (response: request.Response) => response.body.items.map((item: { id: string }) => item.id);

    it('lists the calls of a local date range newest first, in the call shape', async () => {
      const response = await calls(range);
      expect(response.status).toBe(200);
      expect(idsOf(response)).toEqual([ids.F, ids.E, ids.C, ids.D, ids.B, ids.A]);
      expect(response.body.nextCursor).toBeNull();
      const d = response.body.items.find((item: { id: string }) => item.id === ids.D);
      expect(d).toEqual({
        id: ids.D, conversationId: expect.stringMatching(/^sql_/), title: 'Invoice question', summary: 'The caller disputed a double charge for zebrafish food.',
        outcome: 'unresolved', intent: 'billing', sentiment: 'negative', callerName: null, fromNumber: null, toNumber: null, durationSecs: null,
        startedAt: '2021-03-02T20:00:00.000Z', calledAt: '2021-03-02T20:00:00.000Z', roomId, userId, source: 'webhook',
      });
      const c = response.body.items.find((item: { id: string }) => item.id === ids.C);
      expect(c).toMatchObject({ source: 'calls_api', outcome: 'resolved', intent: 'scheduling', fromNumber: '+15557770001', durationSecs: 30 });
    });

    it('pages with limit and nextCursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await calls(`${range}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(4);
        seen.push(...idsOf(response));
        cursor = response.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen).toEqual([ids.F, ids.E, ids.C, ids.D, ids.B, ids.A]);
    });

    it('filters by outcome, intent, sentiment, room and user', async () => {
      expect(idsOf(await calls(`${range}&outcome=resolved`))).toEqual([ids.E, ids.C, ids.A]);
      expect(idsOf(await calls(`${range}&outcome=escalated`))).toEqual([ids.B]);
      expect(idsOf(await calls(`${range}&intent=billing`))).toEqual([ids.D]);
      const negative = [ids.F, ids.E, ids.C, ids.D, ids.B, ids.A];
      const expected: string[] = [];
      for (const id of negative) if ((await storedSentiment(id)) === 'negative') expected.push(id);
      expect(idsOf(await calls(`${range}&sentiment=negative`))).toEqual(expected);
      expect(expected).toContain(ids.D);
      expect(idsOf(await calls(`roomId=${roomId}`))).toEqual([ids.D]);
      expect(idsOf(await calls(`userId=${userId}&outcome=unresolved`))).toEqual([ids.D]);
      expect(idsOf(await calls(`userId=${userId}&outcome=resolved`))).toEqual([]);
    });

    it('filters by instants and by one local day (to included)', async () => {
      expect(idsOf(await calls('from=2021-03-03&to=2021-03-03&tz=Asia/Kolkata'))).toEqual([ids.E, ids.C, ids.D]);
      expect(idsOf(await calls('from=2021-03-01T18:30:00Z&to=2021-03-02T20:00:00Z'))).toEqual([ids.B]);
    });

    it('searches title and summary with PostgreSQL full-text search (stemmed), using the GIN index', async () => {
      expect(idsOf(await calls('q=zebrafish'))).toEqual([ids.D]);
      expect(idsOf(await calls('q=charges'))).toEqual([ids.D]); // stem of "charge"
      expect(idsOf(await calls('q=quokka'))).toEqual([ids.E]); // in the title
      expect(idsOf(await calls('q=quokka zebrafish'))).toEqual([]); // both words
      expect(idsOf(await calls('q=quokka or zebrafish'))).toEqual([ids.E, ids.D]);
      expect(idsOf(await calls(`${range}&q=cleaning`))).toEqual([ids.C]);
      const indexes = await t.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'IDX_conversation_summaries_fts'`);
      expect(indexes[0].indexdef).toMatch(/USING gin \(to_tsvector/);
    });

    it.each([
      ['roomId=not-a-uuid', /roomId must be a UUID/],
      ['limit=0', /limit must not be less than 1/],
      ['limit=101', /limit must not be greater than 100/],
      ['cursor=garbage', /cursor is not valid/],
      ['from=yesterday', /from must be a date YYYY-MM-DD or an ISO 8601 time/],
      ['from=2021-03-05&to=2021-03-01', /from must be before to/],
      ['tz=Nowhere/Land', /tz must be an IANA time zone/],
    ])('answers 400 for %s', async (query, message) => {
      const response = await calls(query);
      expect(response.status).toBe(400);
      expect([response.body.message].flat().join(' ')).toMatch(message);
    });
  });

  describe('GET /api/activity', () => {
    it('pages the feed newest first and filters by type', async () => {
      const activity = t.app.get(ActivityService);
      const type = unique('dash_type').slice(0, 40);
      const recorded = [];
      for (const n of [1, 2, 3]) recorded.push(await activity.record(type, `Event ${n}`, { n }));
      const first = await request(t.http).get(`/api/activity?type=${type}&limit=2`).set(admin);
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual([
        { id: recorded[2].id, type, title: 'Event 3', data: { n: 3 }, createdAt: recorded[2].createdAt.toISOString() },
        { id: recorded[1].id, type, title: 'Event 2', data: { n: 2 }, createdAt: recorded[1].createdAt.toISOString() },
      ]);
      const second = await request(t.http).get(`/api/activity?type=${type}&limit=2&cursor=${first.body.nextCursor}`).set(admin);
      expect(second.body.items.map((item: { title: string }) => item.title)).toEqual(['Event 1']);
      expect(second.body.nextCursor).toBeNull();
      // The webhook deliveries above wrote call_completed events.
      const completed = await request(t.http).get('/api/activity?type=call_completed&limit=100').set(admin);
      expect(completed.body.items.length).toBeGreaterThanOrEqual(3);
      expect(completed.body.items.every((item: { type: string }) => item.type === 'call_completed')).toBe(true);
      expect((await request(t.http).get('/api/activity?limit=abc').set(admin)).status).toBe(400);
    });
  });
});
