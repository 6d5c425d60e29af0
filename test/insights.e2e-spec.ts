import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { ActionItem } from '../src/insights/entities/action-item.entity.js';
import { UserInsight } from '../src/insights/entities/user-insight.entity.js';
import { ProfileService, TRY_LOCK_PERSON_SQL } from '../src/insights/profile.service.js';
import { User } from '../src/users/entities/user.entity.js';
import { callerHashFor } from '../src/webhooks/dedupe-key.js';
import { WebhookEvent } from '../src/webhooks/entities/webhook-event.entity.js';
import { WebhookEventProcessor } from '../src/webhooks/webhook-event.processor.js';
import { adminToken, bearer, createRoom, tokenFor, uniqueSub } from './support/factories.js';
import { wireConversation } from './support/fake-elevenlabs.js';
import { TEST_INIT_SECRET, TEST_WEBHOOK_SECRET, type TestApp, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

/** Decodes what EJS's <%= %> escapes, as a browser decodes an attribute value. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#39|#34|quot|amp|lt|gt);/g, (_, entity: string) => ({ '#39': "'", '#34': '"', quot: '"', amp: '&', lt: '<', gt: '>' })[entity]!);
}
function widgetVariables(html: string): Record<string, string> {
  const tag = /<elevenlabs-convai\s[^>]*dynamic-variables="([^"]*)"/.exec(html);
  if (!tag) throw new Error('no <elevenlabs-convai dynamic-variables> in the page');
  return JSON.parse(decodeAttribute(tag[1]));
}

const NINE = ['user_name', 'conversation_count', 'last_conversation_summary', 'open_action_items', 'recurring_topics', 'goals', 'coaching_style', 'onboarding_phase', 'selected_goals'];
const conv = () => `conv_${randomUUID().replace(/-/g, '')}`;
const collected = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { data_collection_id: id, value, rationale: 'said in the call' }]));

/** Three coaching calls of one person, as ElevenLabs would send them; the first two are about sleep. */
const CALLS = [
  {
    summary: 'The user talked about their sleep and a stressful evening routine.',
    said: ['I sleep badly and I scroll on my phone until late.', 'I would like to feel rested in the morning.'],
    data: {
      goals: 'Sleep eight hours a night',
      challenges: '["Late-night scrolling"]',
      action_items: ['Put the phone away at 22:00'],
      mood: 'tired',
      session_rating: 7,
    },
  },
  {
    summary: 'The user discussed sleep again and how the new bedtime went.',
    said: ['The new bedtime helped a bit, but I still wake up at night.'],
    data: {
      goals: ['Sleep eight hours a night', 'Run a 5k'],
      challenges: 'Late-night scrolling',
      action_items: '["Go to bed by 23:00", "Put the phone away at 22:00."]',
    },
  },
  {
    summary: 'The user planned a running schedule for their training.',
    said: ['I am really happy, I managed to run twice and it felt great!'],
    data: {
      goals: 'Run a 5k',
      action_items: ['Run three times this week', 'Book a physio appointment'],
      action_items_done: ['put the phone away at 22:00'],
    },
  },
];

describe('insights (e2e): three finished calls make a profile and the next conversation’s variables', () => {
  let t: TestApp;
  let processor: WebhookEventProcessor;
  const sub = uniqueSub('insights');
  const phone = '+14155550142';
  const token = tokenFor({ sub, name: 'Maria Lopez', phone_number: phone });
  let user: User;
  let roomSlug: string;
  let roomId: string;
  const conversationIds: string[] = [];
  const start = Math.floor(Date.now() / 1000) - 3 * 86400;

  beforeAll(async () => {
    t = await createTestApp();
    processor = t.app.get(WebhookEventProcessor);
    const room = await createRoom(t.dataSource, { kind: 'coaching', coachingStyle: 'Warm and direct' });
    roomSlug = room.slug;
    roomId = room.id;
  });
  afterAll(() => t.close());

  const deliver = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return request(t.http).post('/api/webhooks/elevenlabs').set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body);
  };
  const profile = async () => (await request(t.http).get('/api/users/me/profile').set(bearer(token)).expect(200)).body;
  /** A one-minute check-in of `userId` on day `day` after `start`, with its summary and data collection. */
  const checkIn = (conversationId: string, userId: string, day: number, summary: string, dataCollection: Record<string, unknown> = {}) => ({
    type: 'post_call_transcription',
    event_timestamp: start + (day + 1) * 86400,
    data: wireConversation({
      conversation_id: conversationId,
      user_id: userId,
      metadata: { start_time_unix_secs: start + day * 86400, call_duration_secs: 60 },
      analysis: { call_successful: 'success', transcript_summary: summary, evaluation_criteria_results: {}, data_collection_results: collected(dataCollection) },
    }),
  });
  const counts = async () => ({
    insights: await t.dataSource.getRepository(UserInsight).countBy({ userId: user.id }),
    actionItems: await t.dataSource.getRepository(ActionItem).countBy({ userId: user.id }),
    summaries: await t.dataSource.getRepository(ConversationSummary).countBy({ userId: user.id }),
  });

  it('has an empty profile and empty (but present) variables before any call', async () => {
    const empty = await profile();
    user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    expect(empty).toMatchObject({
      userId: user.id, displayName: 'Maria Lopez', onboardingPhase: 'goal_discovery', conversationCount: 0,
      firstConversationAt: null, lastConversationAt: null, lastSummary: null, goals: [], openActionItems: [], doneActionItems: [],
      recurringTopics: [], recurringChallenges: [], sentimentTrend: [], coachingStyle: null,
    });
    expect(Object.keys(empty.variables).sort()).toEqual([...NINE].sort());
    expect(empty.variables).toMatchObject({ user_name: 'Maria Lopez', conversation_count: '0', goals: '', onboarding_phase: 'goal_discovery' });
  });

  it('processes three signed post-call webhooks into the profile', async () => {
    for (const [index, call] of CALLS.entries()) {
      // Each call starts in the room (POST /api/conversations), as the widget would.
      const started = await request(t.http).post('/api/conversations').set(bearer(token)).send({ roomId }).expect(201);
      const conversationId = conv();
      conversationIds.push(conversationId);
      const response = await deliver({
        type: 'post_call_transcription',
        event_timestamp: start + index * 86400 + 600,
        data: wireConversation({
          conversation_id: conversationId,
          transcript: [
            { role: 'agent', message: 'Hi Maria, how did the week go?', time_in_call_secs: 0 },
            ...call.said.map((message, turn) => ({ role: 'user', message, time_in_call_secs: 5 + turn * 10 })),
          ],
          metadata: { start_time_unix_secs: start + index * 86400, call_duration_secs: 300 },
          analysis: {
            call_successful: 'success', transcript_summary: call.summary, call_summary_title: `Call ${index + 1}`,
            evaluation_criteria_results: {}, data_collection_results: collected(call.data),
          },
          conversation_initiation_client_data: { dynamic_variables: { ...started.body.dynamicVariables } },
        }),
      });
      expect(response.status).toBe(200);
      await processor.drain();
    }
  }, 30_000);

  it('shows the three calls in the profile', async () => {
    const stored = await t.dataSource.getRepository(WebhookEvent).findBy(conversationIds.map((id) => ({ dedupeKey: `post_call_transcription:${id}` })));
    expect(stored.map((event) => [event.status, event.error])).toEqual([['processed', null], ['processed', null], ['processed', null]]);

    const body = await profile();
    expect(body.conversationCount).toBe(3);
    expect(body.firstConversationAt).toBe(new Date(start * 1000).toISOString());
    expect(body.lastConversationAt).toBe(new Date((start + 2 * 86400) * 1000).toISOString());
    expect(body.lastSummary).toBe(CALLS[2].summary);
    // Latest first, de-duplicated.
    expect(body.goals).toEqual(['Run a 5k', 'Sleep eight hours a night']);
    // The topic of the first two calls recurs, counted once per conversation.
    expect(body.recurringTopics).toContainEqual({ topic: 'sleep', count: 2 });
    expect(body.recurringTopics.every((topic: { count: number }) => topic.count >= 2)).toBe(true);
    expect(body.recurringChallenges).toEqual([{ text: 'Late-night scrolling', count: 2 }]);
    // The last call's items are open (with the earlier one still open); the phone item, said twice, was closed by the last call.
    expect(body.openActionItems.map((item: { text: string }) => item.text).sort()).toEqual(['Book a physio appointment', 'Go to bed by 23:00', 'Run three times this week']);
    expect(body.openActionItems[0]).toEqual({ id: expect.any(String), text: expect.any(String), createdAt: new Date((start + 2 * 86400) * 1000).toISOString() });
    expect(body.doneActionItems).toEqual([{ id: expect.any(String), text: 'Put the phone away at 22:00', doneAt: new Date((start + 2 * 86400) * 1000).toISOString() }]);
    expect(await t.dataSource.getRepository(ActionItem).countBy({ userId: user.id, normalizedText: 'put the phone away at 22 00' })).toBe(1);
    // Sentiment of the person's own turns, oldest first; the last call was a happy one.
    expect(body.sentimentTrend.map((point: { conversationId: string }) => point.conversationId)).toEqual(conversationIds);
    expect(body.sentimentTrend[2]).toMatchObject({ label: 'positive', score: expect.any(Number) });
    expect(body.sentimentTrend[2].score).toBeGreaterThan(0.1);
    // No coaching style collected: the style of the room used most.
    expect(body.coachingStyle).toBe('Warm and direct');

    expect(body.variables).toEqual({
      user_name: 'Maria Lopez',
      conversation_count: '3',
      last_conversation_summary: CALLS[2].summary,
      open_action_items: body.openActionItems.map((item: { text: string }) => item.text).join('; '),
      recurring_topics: body.recurringTopics.map((topic: { topic: string }) => topic.topic).join('; '),
      goals: 'Run a 5k; Sleep eight hours a night',
      coaching_style: 'Warm and direct',
      onboarding_phase: 'goal_discovery',
      selected_goals: 'Run a 5k, Sleep eight hours a night',
    });
  });

  it('stores every data-collection result as an insight, normalised, with topics and sentiment beside them', async () => {
    const rows = await t.dataSource.getRepository(UserInsight).find({ where: { conversationId: conversationIds[0] }, order: { insightType: 'ASC' } });
    const byType = Object.fromEntries(rows.map((row) => [row.insightType, row]));
    expect(Object.keys(byType).sort()).toEqual(['action_items', 'challenges', 'goals', 'mood', 'sentiment', 'session_rating', 'topics']);
    expect(byType.goals).toMatchObject({ source: 'data_collection', userId: user.id, insightData: { items: ['Sleep eight hours a night'] } });
    expect(byType.challenges.insightData).toEqual({ items: ['Late-night scrolling'] });
    expect(byType.mood.insightData).toEqual({ value: 'tired' });
    expect(byType.session_rating.insightData).toEqual({ value: 7 });
    expect(byType.topics.source).toBe('nlp');
    expect(byType.topics.insightData.items).toContain('sleep');
    expect(byType.sentiment).toMatchObject({ source: 'nlp', insightData: { score: expect.any(Number), label: expect.any(String) } });
    // The summary row's columns hold the same normalised lists.
    const summary = await t.dataSource.getRepository(ConversationSummary).findOneByOrFail({ conversationId: conversationIds[1] });
    expect(summary.actionItems).toEqual(['Go to bed by 23:00', 'Put the phone away at 22:00.']);
  });

  it('hands the variables to the room page, POST /api/conversations and the inbound conversation-init webhook', async () => {
    const expected = (await profile()).variables;
    const page = await request(t.http).get(`/rooms/${roomSlug}`).set('Cookie', `access_token=${token}`).set('Accept', 'text/html').expect(200);
    expect(widgetVariables(page.text)).toMatchObject(expected);
    expect(page.text).toContain(CALLS[2].summary);
    for (const item of ['Run three times this week', 'Book a physio appointment', 'Go to bed by 23:00']) expect(page.text).toContain(`>${item}</li>`);
    expect(page.text).not.toContain('>Put the phone away at 22:00</li>');

    const started = await request(t.http).post('/api/conversations').set(bearer(token)).send({}).expect(201);
    expect(started.body.dynamicVariables).toMatchObject(expected);

    const inbound = await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').set('x-convai-secret', TEST_INIT_SECRET).send({ caller_id: phone, agent_id: 'agent_test' }).expect(200);
    // Plus the phone session's own: the post-call webhook matches it, and the agent's tools work on the phone.
    expect(inbound.body.dynamic_variables).toEqual({ ...expected, session_id: expect.stringMatching(/^sess_/), secret__tool_token: expect.any(String) });
  });

  it('changes nothing when one of the three is replayed', async () => {
    const before = { profile: await profile(), counts: await counts() };
    const [event] = await t.dataSource.getRepository(WebhookEvent).findBy({ dedupeKey: `post_call_transcription:${conversationIds[1]}` });
    await t.dataSource.query(`UPDATE webhook_events SET status = 'failed', error = 'replay test' WHERE id = $1`, [event.id]);
    const replay = await request(t.http).post(`/api/webhooks/events/${event.id}/replay`).set(bearer(adminToken()));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: event.id, status: 'processed' });
    await processor.drain();
    expect({ profile: await profile(), counts: await counts() }).toEqual(before);
  });

  it('lets the person tick an action item off and on again; another person gets 404; a bad body 400 naming the field', async () => {
    const [item] = (await profile()).openActionItems;
    const done = await request(t.http).patch(`/api/users/me/action-items/${item.id}`).set(bearer(token)).send({ done: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: item.id, text: item.text, status: 'done', doneAt: expect.any(String) });
    let body = await profile();
    expect(body.openActionItems.map((open: { id: string }) => open.id)).not.toContain(item.id);
    expect(body.doneActionItems.map((closed: { id: string }) => closed.id)).toContain(item.id);
    expect(body.variables.open_action_items).not.toContain(item.text);
    const page = await request(t.http).get(`/rooms/${roomSlug}`).set('Cookie', `access_token=${token}`).set('Accept', 'text/html').expect(200);
    expect(widgetVariables(page.text).open_action_items).not.toContain(item.text);

    const reopened = await request(t.http).patch(`/api/users/me/action-items/${item.id}`).set(bearer(token)).send({ done: false });
    expect(reopened.body).toMatchObject({ id: item.id, status: 'open', doneAt: null });
    body = await profile();
    expect(body.openActionItems.map((open: { id: string }) => open.id)).toContain(item.id);

    const stranger = await request(t.http).patch(`/api/users/me/action-items/${item.id}`).set(bearer(tokenFor())).send({ done: true });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'action_item_not_found' });
    expect((await t.dataSource.getRepository(ActionItem).findOneByOrFail({ id: item.id })).status).toBe('open');
    for (const bad of [{}, { done: 'yes' }, { done: 1 }]) {
      const response = await request(t.http).patch(`/api/users/me/action-items/${item.id}`).set(bearer(token)).send(bad);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toContain('done must be a boolean');
    }
    const unknownField = await request(t.http).patch(`/api/users/me/action-items/${item.id}`).set(bearer(token)).send({ done: true, extra: 1 });
    expect(unknownField.status).toBe(400);
    expect((await request(t.http).patch(`/api/users/me/action-items/${randomUUID()}`).set(bearer(token)).send({ done: true })).status).toBe(404);
  });

  it('gives admins any profile and the raw insights, paged; people get 403', async () => {
    const admin = adminToken();
    const theirs = await request(t.http).get(`/api/users/${user.id}/profile`).set(bearer(admin)).expect(200);
    expect(theirs.body).toEqual(await profile());
    expect((await request(t.http).get(`/api/users/${user.id}/profile`).set(bearer(token))).status).toBe(403);
    expect((await request(t.http).get(`/api/users/${randomUUID()}/profile`).set(bearer(admin))).status).toBe(404);
    expect((await request(t.http).get(`/api/users/not-a-uuid/profile`).set(bearer(admin))).status).toBe(400);

    const total = await t.dataSource.getRepository(UserInsight).countBy({ userId: user.id });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(t.http).get(`/api/users/${user.id}/insights`).query({ limit: 4, ...(cursor ? { cursor } : {}) }).set(bearer(admin)).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      for (const item of page.body.items) {
        expect(item).toEqual({ id: expect.any(String), type: expect.any(String), data: expect.any(Object), source: expect.stringMatching(/^(data_collection|nlp|tool)$/), conversationId: expect.any(String), sessionId: expect.any(String), createdAt: expect.any(String) });
        seen.push(item.id);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(total);
    expect((await request(t.http).get(`/api/users/${user.id}/insights`).set(bearer(token))).status).toBe(403);
    expect((await request(t.http).get(`/api/users/${user.id}/insights?limit=0`).set(bearer(admin))).status).toBe(400);
  });

  it('keeps the variable snapshot: a processed call marks it stale, the next read stores the new view, a read racing a writer stores nothing', async () => {
    const profiles = t.app.get(ProfileService);
    const snapshot = async () =>
      (await t.dataSource.query(`SELECT version, variables_version AS "variablesVersion", variables FROM user_profile_snapshots WHERE user_id = $1`, [user.id]))[0];
    const read = await profiles.snapshotVariables(user.id);
    expect(read.conversation_count).toBe('3');
    const fresh = await snapshot();
    expect(fresh.variablesVersion).toBe(fresh.version);

    // A fourth call: processing only bumps the version; the next read computes and stores conversation_count 4.
    const conversationId = conv();
    await deliver(checkIn(conversationId, sub, 3, 'A short check-in.')).expect(200);
    await processor.drain();
    const stale = await snapshot();
    expect(stale.version).toBe(fresh.version + 1);
    expect(stale.variables).toEqual(fresh.variables);
    expect((await profiles.snapshotVariables(user.id)).conversation_count).toBe('4');
    expect(await snapshot()).toMatchObject({ version: stale.version, variablesVersion: stale.version });

    // Stale, and a writer holds the row (its transaction not committed): a read answers at once from what is
    // committed and stores nothing, so the writer's newer version stays stale for the next read.
    await t.dataSource.query(`UPDATE user_profile_snapshots SET version = version + 1 WHERE user_id = $1`, [user.id]);
    const writer = t.dataSource.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      await writer.query(`UPDATE user_profile_snapshots SET version = version + 1 WHERE user_id = $1`, [user.id]);
      expect((await profiles.snapshotVariables(user.id)).conversation_count).toBe('4');
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    expect(await snapshot()).toMatchObject({ version: stale.version + 2, variablesVersion: stale.version });
    await profiles.snapshotVariables(user.id);
    expect(await snapshot()).toMatchObject({ version: stale.version + 2, variablesVersion: stale.version + 2 });
  });

  it('leaves a call whose person another transaction is writing pending, with nothing of it written, and processes it once that one commits', async () => {
    const other = await t.dataSource.getRepository(User).save({ externalId: uniqueSub('other'), displayName: 'Other Person', role: 'user' });
    const call = (userId: string) => {
      const conversationId = conv();
      return { conversationId, payload: checkIn(conversationId, userId, 4, 'Another check-in.', { goals: 'Swim once a week' }) };
    };
    const event = async (conversationId: string) => (await t.dataSource.getRepository(WebhookEvent).findOneByOrFail({ dedupeKey: `post_call_transcription:${conversationId}` }));
    const summaries = (conversationId: string) => t.dataSource.getRepository(ConversationSummary).countBy({ conversationId });
    const held = call(sub);
    const free = call(other.externalId);

    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      expect((await holder.query(`SELECT ${TRY_LOCK_PERSON_SQL('$1')} AS locked`, [user.id]))[0].locked).toBe(true);
      await deliver(held.payload).expect(200);
      await deliver(free.payload).expect(200);
      // drain() would wait for the held person; claim batches until the other person's call is through.
      for (let tries = 0; (await event(free.conversationId)).status !== 'processed' && tries < 50; tries += 1) await processor.claimAndProcessBatch();
      expect(await event(free.conversationId)).toMatchObject({ status: 'processed', attempts: 1 });
      expect(await event(held.conversationId)).toMatchObject({ status: 'pending', attempts: 0, error: null });
      expect(await summaries(held.conversationId)).toBe(0);
      expect(await t.dataSource.getRepository(UserInsight).countBy({ conversationId: held.conversationId })).toBe(0);
      await holder.commitTransaction();
    } finally {
      await holder.release();
    }
    await processor.drain();
    expect(await event(held.conversationId)).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await summaries(held.conversationId)).toBe(1);
    expect((await profile()).goals).toContain('Swim once a week');
  });

  it('stores the action items of one person\'s calls claimed together as if they had come one by one', async () => {
    const person = async (name: string) => t.dataSource.getRepository(User).save({ externalId: uniqueSub(name), displayName: name, role: 'user' });
    // Stored as intake stores them, in order, then drained: the same person's calls are claimed in one batch.
    const store = async (calls: Array<{ userId: string; day: number; data: Record<string, unknown> }>) => {
      const ids = calls.map(() => conv());
      const receivedAt = (index: number) => new Date(Date.now() - 60_000 + index);
      await t.dataSource.getRepository(WebhookEvent).insert(
        calls.map(({ userId, day, data }, index) => ({
          eventType: 'post_call_transcription', dedupeKey: `post_call_transcription:${ids[index]}`, status: 'pending' as const,
          receivedAt: receivedAt(index), nextAttemptAt: receivedAt(index),
          payload: checkIn(ids[index], userId, day, 'A short check-in.', data), callerHash: callerHashFor('post_call_transcription', { user_id: userId }, ''),
        })),
      );
      await processor.drain();
      return ids;
    };
    const items = async (userId: string) =>
      (await t.dataSource.getRepository(ActionItem).find({ where: { userId }, order: { text: 'ASC' } })).map(({ text, status, conversationId }) => ({ text, status, conversationId }));

    // No item reported done: one statement for the batch; of two calls adding one item, the first keeps it.
    const walker = await person('Walker');
    const [first, second] = await store([
      { userId: walker.externalId, day: 5, data: { action_items: ['Walk after lunch'] } },
      { userId: walker.externalId, day: 6, data: { action_items: ['Walk after lunch.', 'Drink more water'] } },
    ]);
    expect(await items(walker.id)).toEqual([
      { text: 'Drink more water', status: 'open', conversationId: second },
      { text: 'Walk after lunch', status: 'open', conversationId: first },
    ]);

    // A later call of the batch closes what an earlier one opened.
    const stretcher = await person('Stretcher');
    const [opened] = await store([
      { userId: stretcher.externalId, day: 5, data: { action_items: ['Stretch every morning'] } },
      { userId: stretcher.externalId, day: 6, data: { action_items_done: ['stretch every morning'] } },
    ]);
    expect(await items(stretcher.id)).toEqual([{ text: 'Stretch every morning', status: 'done', conversationId: opened }]);
  });
});
