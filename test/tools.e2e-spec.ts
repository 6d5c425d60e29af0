import jwt from 'jsonwebtoken';
import request from 'supertest';
import { Clock } from '../src/clock/clock.js';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { UserInsight } from '../src/insights/entities/user-insight.entity.js';
import { CallbackTask } from '../src/scheduling/entities/callback-task.entity.js';
import { ToolTokenService } from '../src/tools/tool-token.service.js';
import { User } from '../src/users/entities/user.entity.js';
import { adminToken, bearer, tokenFor, uniqueSub } from './support/factories.js';
import { type TestApp, TEST_JWT_SECRET, createTestApp } from './support/test-app.js';

/** A clock the spec can stop at an instant (the Berlin case) and let run again. */
class MovableClock extends Clock {
  private fixed: Date | null = null;
  set(at: Date | null): void {
    this.fixed = at;
  }
  override now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }
}

const PUBLIC_URL = 'https://coach.example.com';

describe('agent tools /api/tools (e2e)', () => {
  let t: TestApp;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL }, customize: (builder) => builder.overrideProvider(Clock).useValue(clock) });
    // The first conversation loads the ElevenLabs SDK (~1.5 s, more on a busy machine): not inside a test's 5 s.
    await personInConversation();
  }, 60_000);
  afterAll(() => t.close());
  afterEach(() => clock.set(null));

  interface Person {
    sub: string;
    userId: string;
    auth: { Authorization: string };
    conversationId: string;
    toolToken: string;
  }

  /** A person with a live conversation, and the secret__tool_token POST /api/conversations handed the widget. */
  async function personInConversation(claims: { name?: string; phone_number?: string; zoneinfo?: string } = {}): Promise<Person> {
    const sub = uniqueSub();
    const auth = bearer(tokenFor({ sub, name: claims.name ?? 'Tool Person', ...claims }));
    const started = await request(t.http).post('/api/conversations').set(auth).send({}).expect(201);
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    return { sub, userId: user.id, auth, conversationId: started.body.conversationId, toolToken: started.body.dynamicVariables.secret__tool_token };
  }

  /** Exactly what an ElevenLabs webhook tool sends: the bound header, JSON, the schema object as the body. */
  const callTool = (path: string, token: string | null, body: unknown) => {
    const call = request(t.http).post(`/api/tools/${path}`).set('Content-Type', 'application/json');
    if (token) call.set('X-Convai-Tool-Token', token);
    return call.send(JSON.stringify(body));
  };

  async function addSummaries(userId: string, count: number, make: (i: number) => Pick<Partial<ConversationSummary>, 'title' | 'summary'>) {
    const repository = t.dataSource.getRepository(ConversationSummary);
    await repository.insert(
      Array.from({ length: count }, (_, i) => ({
        conversationId: `conv_${uniqueSub('hist')}_${i}`,
        userId,
        startedAt: new Date(Date.UTC(2026, 0, 1 + i, 9)),
        ...make(i),
      })),
    );
  }

  describe('GET /api/tools/definitions', () => {
    it('gives admins the webhook-tool JSON of each tool, pointing at PUBLIC_URL and binding the tool token header', async () => {
      const response = await request(t.http).get('/api/tools/definitions').set(bearer(adminToken())).expect(200);
      expect(response.body.tools.map((tool: { name: string }) => tool.name)).toEqual(['get_user_history', 'save_insight', 'schedule_callback']);
      const schedule = response.body.tools.find((tool: { name: string }) => tool.name === 'schedule_callback');
      expect(schedule).toEqual({
        type: 'webhook',
        name: 'schedule_callback',
        description: expect.any(String),
        response_timeout_secs: expect.any(Number),
        api_schema: {
          url: `${PUBLIC_URL}/api/tools/schedule-callback`,
          method: 'POST',
          content_type: 'application/json',
          request_headers: { 'X-Convai-Tool-Token': { variable_name: 'secret__tool_token' } },
          request_body_schema: {
            type: 'object',
            required: ['when'],
            properties: { when: { type: 'string', description: expect.any(String) }, reason: { type: 'string', description: expect.any(String) } },
          },
        },
      });
      for (const tool of response.body.tools) {
        expect(tool.api_schema.url).toBe(`${PUBLIC_URL}/api/tools/${tool.api_schema.url.split('/').pop()}`);
        for (const property of Object.values(tool.api_schema.request_body_schema.properties) as Array<{ description: string }>) {
          expect(property.description.length).toBeGreaterThan(10);
        }
      }
    });

    it('document the same bodies in OpenAPI, with the same descriptions', async () => {
      const [definitions, openapi] = await Promise.all([
        request(t.http).get('/api/tools/definitions').set(bearer(adminToken())).expect(200),
        request(t.http).get('/api/docs/openapi.json').expect(200),
      ]);
      for (const tool of definitions.body.tools) {
        const path = new URL(tool.api_schema.url).pathname;
        const ref: string = openapi.body.paths[path].post.requestBody.content['application/json'].schema.$ref;
        const schema = openapi.body.components.schemas[ref.split('/').pop()!];
        const described = Object.fromEntries(Object.entries(schema.properties as Record<string, { description: string }>).map(([name, p]) => [name, p.description]));
        const expected = Object.fromEntries(Object.entries(tool.api_schema.request_body_schema.properties as Record<string, { description: string }>).map(([name, p]) => [name, p.description]));
        expect({ path, described }).toEqual({ path, described: expected });
        expect({ path, required: (schema.required ?? []).sort() }).toEqual({ path, required: [...tool.api_schema.request_body_schema.required].sort() });
      }
    });

    it('is for admins only', async () => {
      await request(t.http).get('/api/tools/definitions').set(bearer(tokenFor())).expect(403);
      await request(t.http).get('/api/tools/definitions').expect(401);
    });
  });

  describe('tool-token auth', () => {
    it('refuses a missing, forged or expired tool token and a sign-in JWT with 401 and the error shape', async () => {
      const person = await personInConversation();
      const tokens = t.app.get(ToolTokenService);
      const forged = jwt.sign({ sub: person.userId, sid: person.conversationId, scope: 'tool' }, 'not-our-key', { algorithm: 'HS256', audience: 'convai-rooms:tools', expiresIn: 600 });
      const expired = tokens.sign(person.userId, person.conversationId, -60);
      const signIn = tokenFor({ sub: person.sub });
      // A sign-in JWT made with the app's own key and the tool claims is still not a tool token.
      const lookalike = jwt.sign({ sub: person.userId, sid: person.conversationId, scope: 'tool' }, TEST_JWT_SECRET, { algorithm: 'HS256', audience: 'convai-rooms:tools', expiresIn: 600 });

      const cases: Array<[string, string | null, RegExp]> = [
        ['none', null, /missing tool token/],
        ['forged', forged, /not valid/],
        ['expired', expired, /expired/],
        ['sign-in JWT', signIn, /not valid/],
        ['sign-in key lookalike', lookalike, /not valid/],
      ];
      for (const [name, token, message] of cases) {
        const response = await callTool('user-history', token, {});
        expect({ name, status: response.status }).toEqual({ name, status: 401 });
        expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(message) });
      }
      // The sign-in JWT as a bearer is refused too; the real tool token works as a bearer.
      await request(t.http).post('/api/tools/user-history').set(bearer(signIn)).send({}).expect(401);
      await request(t.http).post('/api/tools/user-history').set(bearer(person.toolToken)).send({}).expect(200);
    });

    it('refuses a valid token whose session does not belong to its user', async () => {
      const a = await personInConversation();
      const b = await personInConversation();
      const crossed = t.app.get(ToolTokenService).sign(a.userId, b.conversationId);
      const response = await callTool('user-history', crossed, {});
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/no longer exists/);
    });
  });

  describe('POST /api/tools/user-history', () => {
    it("answers the token's person's conversations only, newest first, and ignores an unknown field", async () => {
      const ada = await personInConversation({ name: 'Ada' });
      const bob = await personInConversation({ name: 'Bob' });
      await addSummaries(ada.userId, 3, (i) => ({ title: `Ada call ${i}`, summary: `Ada talked about topic ${i}.` }));
      await addSummaries(bob.userId, 2, (i) => ({ title: `Bob call ${i}`, summary: `Bob talked about topic ${i}.` }));

      const forAda = await callTool('user-history', ada.toolToken, { limit: 2 }).expect(200);
      expect(forAda.body.conversations).toEqual([
        { title: 'Ada call 2', date: '2026-01-03', summary: 'Ada talked about topic 2.' },
        { title: 'Ada call 1', date: '2026-01-02', summary: 'Ada talked about topic 1.' },
      ]);
      const forBob = await callTool('user-history', bob.toolToken, { limit: 5, conversation_id: 'conv_extra', note: 'agent added this' }).expect(200);
      expect(forBob.body.conversations.map((c: { title: string }) => c.title)).toEqual(['Bob call 1', 'Bob call 0']);
      expect(JSON.stringify(forBob.body)).not.toMatch(/Ada/);
      expect(forBob.body).toEqual({ conversations: expect.any(Array), goals: expect.any(Array), openActionItems: expect.any(Array) });
    });

    it('stays under 4 KB for a big history', async () => {
      const person = await personInConversation();
      const long = 'We went through the week in detail, día a día 🙂, and the plan for the next one. '.repeat(200);
      await addSummaries(person.userId, 300, (i) => ({ title: `${'Long title '.repeat(40)}${i}`, summary: long }));
      const response = await callTool('user-history', person.toolToken, { limit: 10 }).expect(200);
      expect(Buffer.byteLength(JSON.stringify(response.body))).toBeLessThanOrEqual(4096);
      expect(response.body.conversations.length).toBeGreaterThan(3);
      expect(response.body.conversations[0].title).toMatch(/299$|…$/);
      expect(response.body.conversations[0].date).toBe(new Date(Date.UTC(2026, 0, 300, 9)).toISOString().slice(0, 10));
    });

    it('answers 400 with a sentence naming the field for a bad limit', async () => {
      const person = await personInConversation();
      const response = await callTool('user-history', person.toolToken, { limit: 500 }).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/limit must be at most 10/) });
      await callTool('user-history', person.toolToken, { limit: '3' }).expect(200); // a numeric string from the LLM is fine
    });
  });

  describe('POST /api/tools/save-insight', () => {
    it('stores a tool insight linked to the session, at once in the profile and in the next history call', async () => {
      const person = await personInConversation();
      const response = await callTool('save-insight', person.toolToken, { type: 'goals', content: 'Run a 10 km race in May', confidence: 0.9 }).expect(200);
      expect(response.body).toEqual({ saved: true, id: expect.any(String) });
      const row = await t.dataSource.getRepository(UserInsight).findOneByOrFail({ id: response.body.id });
      expect(row).toMatchObject({ userId: person.userId, source: 'tool', insightType: 'goals', sessionId: person.conversationId });
      expect(JSON.stringify(row.insightData)).toContain('Run a 10 km race in May');

      const profile = await request(t.http).get('/api/users/me/profile').set(person.auth).expect(200);
      expect(profile.body.goals).toContain('Run a 10 km race in May');
      const history = await callTool('user-history', person.toolToken, {}).expect(200);
      expect(history.body.goals).toContain('Run a 10 km race in May');
    });

    it('an action item saved mid-call is open in the profile; another user sees none of it', async () => {
      const person = await personInConversation();
      const other = await personInConversation();
      await callTool('save-insight', person.toolToken, { type: 'action_items', content: 'Book a physio appointment' }).expect(200);
      const profile = await request(t.http).get('/api/users/me/profile').set(person.auth).expect(200);
      expect(profile.body.openActionItems.map((item: { text: string }) => item.text)).toContain('Book a physio appointment');
      const history = await callTool('user-history', other.toolToken, {}).expect(200);
      expect(history.body).toEqual({ conversations: [], goals: [], openActionItems: [] });
    });

    it('answers 400 with a sentence for a missing content or an unknown type', async () => {
      const person = await personInConversation();
      const missing = await callTool('save-insight', person.toolToken, { type: 'goals' }).expect(400);
      expect(missing.body.message).toMatch(/content is required/);
      const unknown = await callTool('save-insight', person.toolToken, { type: 'horoscope', content: 'Leo' }).expect(400);
      expect(unknown.body.message).toMatch(/type must be one of: goals, challenges/);
    });
  });

  describe('POST /api/tools/schedule-callback', () => {
    const callbacksOf = (userId: string) => t.dataSource.getRepository(CallbackTask).find({ where: { userId } });

    it('reads "tomorrow at 6pm" in Europe/Berlin (winter) as a task due at 17:00 UTC, and ignores an unknown field', async () => {
      clock.set(new Date('2027-01-14T10:00:00Z')); // Thursday, 11:00 in Berlin
      const person = await personInConversation({ phone_number: '+49 151 23456789', zoneinfo: 'Europe/Berlin' });
      const response = await callTool('schedule-callback', person.toolToken, { when: 'tomorrow at 6pm', reason: 'check the running plan', urgency: 'high' }).expect(200);
      expect(response.body).toEqual({
        scheduled: true,
        callbackId: expect.any(String),
        dueAt: '2027-01-15T17:00:00.000Z',
        message: expect.stringContaining('Friday 15 January at 18:00'),
      });
      const [task] = await callbacksOf(person.userId);
      expect(task).toMatchObject({
        id: response.body.callbackId,
        phoneNumber: '+4915123456789',
        reason: 'check the running plan',
        status: 'pending',
        dueAt: new Date('2027-01-15T17:00:00Z'),
        nextAttemptAt: new Date('2027-01-15T17:00:00Z'),
      });
    });

    it('says when the call will really be placed when the time is outside the call window', async () => {
      clock.set(new Date('2027-01-14T10:00:00Z'));
      const person = await personInConversation({ phone_number: '+4915123456789', zoneinfo: 'Europe/Berlin' });
      const late = await callTool('schedule-callback', person.toolToken, { when: 'today at 11pm' }).expect(200);
      expect(late.body.dueAt).toBe('2027-01-14T22:00:00.000Z');
      expect(late.body.message).toBe('Done. Calls are only placed between 08:00 and 20:00 your time, so I will call you on Friday 15 January at 08:00 (Europe/Berlin time).');
    });

    it('reads "in 2 hours" and an ISO-8601 time', async () => {
      clock.set(new Date('2027-01-14T10:00:00Z'));
      const person = await personInConversation({ phone_number: '+14155550123', zoneinfo: 'America/New_York' });
      const inTwoHours = await callTool('schedule-callback', person.toolToken, { when: 'in 2 hours' }).expect(200);
      expect(inTwoHours.body.dueAt).toBe('2027-01-14T12:00:00.000Z');
      const iso = await callTool('schedule-callback', person.toolToken, { when: '2027-01-20T09:30:00-05:00', reason: 'weekly' }).expect(200);
      expect(iso.body.dueAt).toBe('2027-01-20T14:30:00.000Z');
      expect((await callbacksOf(person.userId)).map((task) => task.dueAt.toISOString()).sort()).toEqual(['2027-01-14T12:00:00.000Z', '2027-01-20T14:30:00.000Z']);
    });

    it('answers 422 with a sentence to say, and creates nothing, when there is no phone number, the time is past, or it cannot be read', async () => {
      clock.set(new Date('2027-01-14T10:00:00Z'));
      const noPhone = await personInConversation({ zoneinfo: 'Europe/Berlin' });
      const withPhone = await personInConversation({ phone_number: '+4915123456789', zoneinfo: 'Europe/Berlin' });
      const cases: Array<[Person, string, string, RegExp]> = [
        [noPhone, 'tomorrow at 6pm', 'no_phone_number', /don't have a phone number/],
        [withPhone, 'yesterday at 6pm', 'time_in_past', /has already passed/],
        [withPhone, '2027-01-01T09:00:00Z', 'time_in_past', /Friday 1 January at 10:00 has already passed/],
        [withPhone, 'when the cows come home', 'unreadable_time', /couldn't work out when "when the cows come home" is/],
      ];
      for (const [person, when, code, message] of cases) {
        const response = await callTool('schedule-callback', person.toolToken, { when, reason: 'test' });
        expect({ when, status: response.status }).toEqual({ when, status: 422 });
        expect(response.body).toEqual({ statusCode: 422, error: 'Unprocessable Entity', code, message: expect.stringMatching(message) });
      }
      expect(await callbacksOf(noPhone.userId)).toHaveLength(0);
      expect(await callbacksOf(withPhone.userId)).toHaveLength(0);
    });

    it('answers 400 naming the field when "when" is missing', async () => {
      const person = await personInConversation({ phone_number: '+4915123456789' });
      const response = await callTool('schedule-callback', person.toolToken, { reason: 'no time given' }).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The tool request was not understood: when is required.' });
    });
  });
});
