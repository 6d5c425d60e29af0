import jwt from 'jsonwebtoken';
import request from 'supertest';
import { User } from '../src/users/entities/user.entity.js';
import { adminToken, bearer, tokenFor, uniqueSub } from './support/factories.js';
import { TEST_INIT_SECRET, TEST_JWT_SECRET, type TestApp, createTestApp } from './support/test-app.js';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const expectErrorShape = (body: unknown, statusCode: number, message: RegExp) => {
    expect(body).toEqual({ statusCode, error: expect.any(String), message: expect.stringMatching(message) });
  };

  it.each([
    ['no token', undefined, /missing token/],
    ['an expired token', `Bearer ${tokenFor({ expiresIn: -10 })}`, /expired/],
    ['a token signed with another key', `Bearer ${tokenFor({ secret: 'some-other-key' })}`, /signature is invalid/],
    ['a malformed token', 'Bearer not.a.jwt', /malformed/],
    ['a token that is not a JWT at all', 'Bearer abc', /malformed/],
  ])('answers 401 with the error shape for %s', async (_, authorization, message) => {
    const response = await request(t.http).get('/api/settings/agent').set(authorization ? { Authorization: authorization } : {});
    expect(response.status).toBe(401);
    expectErrorShape(response.body, 401, message);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('refuses a token without an expiry (exp) with 401 saying why, on the API and on page sign-in, and stores no user', async () => {
    const sub = uniqueSub('no-exp');
    const forever = jwt.sign({ sub, name: 'Forever', role: 'admin' }, TEST_JWT_SECRET, { algorithm: 'HS256' });
    expect(JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');

    const api = await request(t.http).get('/api/settings/agent').set(bearer(forever));
    expect(api.status).toBe(401);
    expectErrorShape(api.body, 401, /no expiry \(exp\)/);

    const page = await request(t.http).get(`/rooms/welcome?token=${forever}`).set('Accept', 'text/html');
    expect(page.status).toBe(401);
    expect(String(page.headers['set-cookie'] ?? '')).not.toMatch(/access_token=ey/);
    expect(await t.dataSource.getRepository(User).countBy({ externalId: sub })).toBe(0);
  });

  it('creates the user from the token claims on first sight and updates them when they change', async () => {
    const sub = uniqueSub();
    const claims = { sub, name: 'Zoë O’Brien', email: 'zoe@example.com', phone_number: '+1 (415) 555-2671', zoneinfo: 'Europe/Berlin' };
    await request(t.http).get('/api/settings/agent').set(bearer(tokenFor(claims))).expect(403);
    const users = t.dataSource.getRepository(User);
    expect(await users.findOneByOrFail({ externalId: sub })).toMatchObject({
      displayName: 'Zoë O’Brien',
      email: 'zoe@example.com',
      phoneNumber: '+14155552671',
      timezone: 'Europe/Berlin',
      role: 'user',
      onboardingPhase: 'goal_discovery',
    });

    await request(t.http).get('/api/settings/agent').set(bearer(tokenFor({ ...claims, name: 'Zoë B', role: 'admin', zoneinfo: 'Not/AZone' }))).expect(200);
    const updated = await users.findOneByOrFail({ externalId: sub });
    expect(updated).toMatchObject({ displayName: 'Zoë B', role: 'admin', timezone: 'Europe/Berlin' });
    expect(await users.countBy({ externalId: sub })).toBe(1);
  });

  it('stores a +1 555 test number (possible, not in the metadata as valid) from the token and recognises the caller in conversation-init', async () => {
    const sub = uniqueSub('phone');
    await request(t.http).get('/api/settings/agent').set(bearer(tokenFor({ sub, name: 'Fivefive Caller', phone_number: '+1 (555) 010-0199' }))).expect(403);
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    expect(user.phoneNumber).toBe('+15550100199');

    const init = await request(t.http).post('/api/webhooks/elevenlabs/conversation-init').set('x-convai-secret', TEST_INIT_SECRET)
      .send({ caller_id: '+15550100199', agent_id: 'agent_1', called_number: '+15550001111', call_sid: 'CA555' });
    expect(init.status).toBe(200);
    expect(init.body).toMatchObject({ type: 'conversation_initiation_client_data', user_id: user.id });
    expect(init.body.dynamic_variables.user_name).toBe('Fivefive Caller');

    // Too short to be any number: still not stored.
    const short = uniqueSub('short');
    await request(t.http).get('/api/settings/agent').set(bearer(tokenFor({ sub: short, phone_number: '+1 555 01' }))).expect(403);
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ externalId: short })).phoneNumber).toBeNull();
  });

  it('stores one user when the first requests of a person arrive at once', async () => {
    const token = tokenFor({ sub: uniqueSub('race') });
    const statuses = await Promise.all(Array.from({ length: 8 }, () => request(t.http).get('/api/settings/agent').set(bearer(token)).then((r) => r.status)));
    expect(statuses).toEqual(Array(8).fill(403));
    const sub = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
    expect(await t.dataSource.getRepository(User).countBy({ externalId: sub })).toBe(1);
  });

  it('refuses admin routes to a user token with 403, naming the role', async () => {
    const response = await request(t.http).get('/api/settings/agent').set(bearer(tokenFor()));
    expect(response.status).toBe(403);
    expectErrorShape(response.body, 403, /admin role/);
  });

  it('rejects an unknown body field with 400 naming it, and stores nothing', async () => {
    const response = await request(t.http).put('/api/settings/agent').set(bearer(adminToken())).send({ agentId: 'agent_x', colour: 'blue' });
    expect(response.status).toBe(400);
    expect(response.body.statusCode).toBe(400);
    expect(response.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/colour should not exist/)]));
    const settings = await request(t.http).get('/api/settings/agent').set(bearer(adminToken()));
    expect(settings.body.agentId).not.toBe('agent_x');
  });

  it('rejects a bad field value with 400 naming the field, and malformed JSON with 400', async () => {
    const invalid = await request(t.http).put('/api/settings/agent').set(bearer(adminToken())).send({ agentId: 'has spaces!' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toEqual([expect.stringMatching(/^agentId /)]);

    const malformed = await request(t.http).put('/api/settings/agent').set(bearer(adminToken())).set('Content-Type', 'application/json').send('{"agentId": ');
    expect(malformed.status).toBe(400);
    expectErrorShape(malformed.body, 400, /not valid JSON/);
  });

  it('stores agent settings that win over the environment, and null falls back again', async () => {
    const admin = bearer(adminToken());
    const before = await request(t.http).get('/api/settings/agent').set(admin).expect(200);
    expect(before.body).toMatchObject({ agentId: 'agent_test', source: { agentId: 'environment' } });
    const put = await request(t.http).put('/api/settings/agent').set(admin).send({ agentId: 'agent_db', phoneNumberId: 'phnum_db' }).expect(200);
    expect(put.body).toEqual({ agentId: 'agent_db', phoneNumberId: 'phnum_db', source: { agentId: 'settings', phoneNumberId: 'settings' } });
    const cleared = await request(t.http).put('/api/settings/agent').set(admin).send({ agentId: null }).expect(200);
    expect(cleared.body).toMatchObject({ agentId: 'agent_test', phoneNumberId: 'phnum_db', source: { agentId: 'environment' } });
    // Back to the environment for both, as the specs after this one (sharing the database) expect.
    const restored = await request(t.http).put('/api/settings/agent').set(admin).send({ phoneNumberId: null }).expect(200);
    expect(restored.body).toMatchObject({ agentId: 'agent_test', phoneNumberId: 'phnum_test', source: { agentId: 'environment', phoneNumberId: 'environment' } });
  });

  describe('pages', () => {
    it('turns ?token= into an HttpOnly SameSite=Lax cookie and redirects to the clean URL', async () => {
      const token = tokenFor({ name: 'Page Person' });
      const response = await request(t.http).get(`/rooms/welcome?token=${token}&x=1`);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/rooms/welcome?x=1');
      const cookie = response.headers['set-cookie']?.[0] ?? '';
      expect(cookie).toMatch(new RegExp(`^access_token=${token.replace(/\./g, '\\.')};`));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/); // only in production
    });

    it('shows a 401 page that says how to get in, for no token and for a bad one', async () => {
      for (const path of ['/rooms/welcome', `/rooms/welcome?token=${tokenFor({ secret: 'wrong' })}`]) {
        const response = await request(t.http).get(path).set('Accept', 'text/html');
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(/text\/html/);
        expect(response.text).toContain('npm run token');
        expect(String(response.headers['set-cookie'] ?? '')).not.toMatch(/access_token=ey/);
      }
    });

    it('answers the API with JSON, not the page, when unauthenticated', async () => {
      const response = await request(t.http).get('/api/settings/agent').set('Accept', 'text/html');
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/json/);
    });
  });
});
