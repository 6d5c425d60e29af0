import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ActivityEvent } from '../src/dashboard/entities/activity-event.entity.js';
import { Room } from '../src/rooms/entities/room.entity.js';
import { User } from '../src/users/entities/user.entity.js';
import { WebhookEventProcessor } from '../src/webhooks/webhook-event.processor.js';
import { bearer, createRoom, tokenFor, uniqueSub } from './support/factories.js';
import { wireConversation } from './support/fake-elevenlabs.js';
import { TEST_WEBHOOK_SECRET, type TestApp, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

/** The "start here" call to action of `/`: the room it links and the kind it says it is. */
function startHere(html: string): { slug: string; kind: string } {
  const match = /<p class="start-here" data-kind="([a-z_]+)">\s*<a class="button start-here-link" href="\/rooms\/([^"]+)"/.exec(html);
  if (!match) throw new Error('no start-here call to action on the page');
  return { kind: match[1], slug: decodeURIComponent(match[2]) };
}

describe('onboarding (e2e): goal discovery → coaching style discovery → coaching', () => {
  let t: TestApp;
  let processor: WebhookEventProcessor;
  beforeAll(async () => {
    t = await createTestApp();
    processor = t.app.get(WebhookEventProcessor);
    await createRoom(t.dataSource, { name: 'A coaching room', kind: 'coaching' });
    await createRoom(t.dataSource, { name: 'B goal discovery', kind: 'goal_discovery' });
    await createRoom(t.dataSource, { name: 'C coaching style', kind: 'coaching_style_discovery' });
  });
  afterAll(() => t.close());

  const home = (token: string) => request(t.http).get('/').set('Cookie', `access_token=${token}`).set('Accept', 'text/html').expect(200);
  const kindOf = async (slug: string) => (await t.dataSource.getRepository(Room).findOneByOrFail({ slug })).kind;

  /** A finished call in the room, as the widget starts it and ElevenLabs reports it. */
  async function finishedCall(token: string, slug: string, collected: Record<string, unknown>) {
    const room = await t.dataSource.getRepository(Room).findOneByOrFail({ slug });
    const started = await request(t.http).post('/api/conversations').set(bearer(token)).send({ roomId: room.id }).expect(201);
    const conversationId = `conv_${randomUUID().replace(/-/g, '')}`;
    const payload = {
      type: 'post_call_transcription',
      event_timestamp: Math.floor(Date.now() / 1000),
      data: wireConversation({
        conversation_id: conversationId,
        analysis: {
          call_successful: 'success', transcript_summary: 'The user talked about what they want.', call_summary_title: 'Discovery',
          evaluation_criteria_results: {},
          data_collection_results: Object.fromEntries(Object.entries(collected).map(([id, value]) => [id, { data_collection_id: id, value, rationale: '' }])),
        },
        conversation_initiation_client_data: { dynamic_variables: started.body.dynamicVariables },
      }),
    };
    const body = JSON.stringify(payload);
    await request(t.http).post('/api/webhooks/elevenlabs').set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body).expect(200);
    await processor.drain();
    return conversationId;
  }

  it('offers a new person the goal-discovery room, then the coaching-style room after a discovery call with goals, then coaching', async () => {
    const sub = uniqueSub('onboarding');
    const token = tokenFor({ sub, name: 'Noor' });

    const first = await home(token);
    const offered = startHere(first.text);
    expect(offered.kind).toBe('goal_discovery');
    expect(await kindOf(offered.slug)).toBe('goal_discovery');
    expect(first.text).toContain('Start here');
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    expect(user.onboardingPhase).toBe('goal_discovery');

    // A discovery call without goals moves nothing.
    await finishedCall(token, offered.slug, { mood: 'curious' });
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).onboardingPhase).toBe('goal_discovery');

    const discovery = await finishedCall(token, offered.slug, { goals: '["Speak up in meetings", "Read more"]' });
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).onboardingPhase).toBe('coaching_style_discovery');
    const events = await t.dataSource.getRepository(ActivityEvent).createQueryBuilder('a').where(`a.type = 'onboarding_advanced' AND a.data->>'userId' = :id`, { id: user.id }).getMany();
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ from: 'goal_discovery', to: 'coaching_style_discovery', conversationId: discovery });

    const profile = (await request(t.http).get('/api/users/me/profile').set(bearer(token)).expect(200)).body;
    expect(profile.onboardingPhase).toBe('coaching_style_discovery');
    expect(profile.variables).toMatchObject({ onboarding_phase: 'coaching_style_discovery', selected_goals: 'Speak up in meetings, Read more' });
    const started = await request(t.http).post('/api/conversations').set(bearer(token)).send({}).expect(201);
    expect(started.body.dynamicVariables).toMatchObject({ onboarding_phase: 'coaching_style_discovery', selected_goals: 'Speak up in meetings, Read more' });

    const next = startHere((await home(token)).text);
    expect(next.kind).toBe('coaching_style_discovery');
    expect(await kindOf(next.slug)).toBe('coaching_style_discovery');
    // Every room stays reachable by URL.
    await request(t.http).get(`/rooms/${offered.slug}`).set('Cookie', `access_token=${token}`).set('Accept', 'text/html').expect(200);

    // Another goal-discovery call (or a replay) does not move the person twice.
    await finishedCall(token, offered.slug, { goals: 'Sleep better' });
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).onboardingPhase).toBe('coaching_style_discovery');

    await finishedCall(token, next.slug, { coaching_style: 'Gentle, with clear next steps' });
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).onboardingPhase).toBe('coaching');
    const coached = (await request(t.http).get('/api/users/me/profile').set(bearer(token)).expect(200)).body;
    expect(coached).toMatchObject({ onboardingPhase: 'coaching', coachingStyle: 'Gentle, with clear next steps' });
    expect(coached.variables).toMatchObject({ onboarding_phase: 'coaching', coaching_style: 'Gentle, with clear next steps' });
    expect(startHere((await home(token)).text).kind).toBe('coaching');
  }, 30_000);
});
