import request from 'supertest';
import { ConversationSession } from '../src/conversations/entities/conversation-session.entity.js';
import { bearer, createRoom, tokenFor } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

// Its own app (and file): passport keeps one global strategy per process, so two apps cannot share a spec file.
describe('without ELEVENLABS_API_KEY (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ELEVENLABS_API_KEY: undefined } });
  });
  afterAll(() => t.close());

  it('answers POST /api/conversations with 503 naming ELEVENLABS_API_KEY and stores no session', async () => {
    const room = await createRoom(t.dataSource);
    const response = await request(t.http).post('/api/conversations').set(bearer(tokenFor())).send({ roomId: room.id });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/ELEVENLABS_API_KEY/) });
    expect(await t.dataSource.getRepository(ConversationSession).countBy({ roomId: room.id })).toBe(0);
  });

  it('still serves a public room page (agent-id needs no key), but an auth room page answers 503 naming the key', async () => {
    const open = await createRoom(t.dataSource);
    const page = await request(t.http).get(`/rooms/${open.slug}`).set('Cookie', `access_token=${tokenFor()}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('agent-id="agent_test"');

    const locked = await createRoom(t.dataSource, { requiresAuth: true });
    const refused = await request(t.http).get(`/rooms/${locked.slug}`).set('Cookie', `access_token=${tokenFor()}`).set('Accept', 'text/html');
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/html/);
    expect(refused.text).toContain('ELEVENLABS_API_KEY');
    expect(await t.dataSource.getRepository(ConversationSession).countBy({ roomId: locked.id })).toBe(0);
  });
});
