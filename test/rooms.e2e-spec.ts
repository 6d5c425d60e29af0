import request from 'supertest';
import { Room } from '../src/rooms/entities/room.entity.js';
import { adminToken, bearer, createRoom, tokenFor } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

describe('rooms API (e2e)', () => {
  let t: TestApp;
  const admin = bearer(adminToken());
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates, reads, updates and deletes a room, storing the row', async () => {
    const created = await request(t.http)
      .post('/api/rooms')
      .set(admin)
      .send({ slug: 'sleep-better', name: 'Sleep better', description: 'Evenings', kind: 'coaching', coachingStyle: 'gentle' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      slug: 'sleep-better',
      name: 'Sleep better',
      description: 'Evenings',
      kind: 'coaching',
      agentId: null,
      requiresAuth: false,
      coachingStyle: 'gentle',
      firstMessage: null,
      isActive: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const row = await t.dataSource.getRepository(Room).findOneByOrFail({ id: created.body.id });
    expect(row).toMatchObject({ slug: 'sleep-better', coachingStyle: 'gentle', isActive: true });

    const got = await request(t.http).get(`/api/rooms/${created.body.id}`).set(admin).expect(200);
    expect(got.body.slug).toBe('sleep-better');

    const patched = await request(t.http).patch(`/api/rooms/${created.body.id}`).set(admin).send({ name: 'Sleep well', agentId: 'agent_room', isActive: false }).expect(200);
    expect(patched.body).toMatchObject({ name: 'Sleep well', agentId: 'agent_room', isActive: false, slug: 'sleep-better' });
    expect(await t.dataSource.getRepository(Room).findOneByOrFail({ id: created.body.id })).toMatchObject({ name: 'Sleep well', agentId: 'agent_room', isActive: false });

    await request(t.http).delete(`/api/rooms/${created.body.id}`).set(admin).expect(204);
    expect(await t.dataSource.getRepository(Room).countBy({ id: created.body.id })).toBe(0);
    await request(t.http).get(`/api/rooms/${created.body.id}`).set(admin).expect(404);
    await request(t.http).delete(`/api/rooms/${created.body.id}`).set(admin).expect(404);
  });

  it('answers 409 when the slug is taken, on create and on update', async () => {
    const existing = await createRoom(t.dataSource);
    const clash = await request(t.http).post('/api/rooms').set(admin).send({ slug: existing.slug, name: 'Other' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ statusCode: 409, message: expect.stringContaining(existing.slug) });
    expect(await t.dataSource.getRepository(Room).countBy({ slug: existing.slug })).toBe(1);

    const other = await createRoom(t.dataSource);
    const update = await request(t.http).patch(`/api/rooms/${other.id}`).set(admin).send({ slug: existing.slug });
    expect(update.status).toBe(409);
  });

  it.each([
    ['an upper-case slug', { slug: 'Sleep', name: 'x' }, /slug/],
    ['a one-character slug', { slug: 'a', name: 'x' }, /slug/],
    ['a 65-character slug', { slug: 'a'.repeat(65), name: 'x' }, /slug/],
    ['a slug with a slash', { slug: 'a/b', name: 'x' }, /slug/],
    ['an unknown kind', { slug: 'ok-slug', name: 'x', kind: 'therapy' }, /kind/],
    ['an agent id with spaces', { slug: 'ok-slug', name: 'x', agentId: 'has spaces' }, /agentId/],
    ['an unknown field', { slug: 'ok-slug', name: 'x', colour: 'blue' }, /colour should not exist/],
    ['no name', { slug: 'ok-slug' }, /name/],
  ])('rejects %s with 400 naming the field', async (_, body, message) => {
    const response = await request(t.http).post('/api/rooms').set(admin).send(body);
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('lists rooms newest first with a cursor', async () => {
    const a = await createRoom(t.dataSource);
    const b = await createRoom(t.dataSource);
    const first = await request(t.http).get('/api/rooms?limit=1').set(admin).expect(200);
    expect(first.body.items.map((r: Room) => r.id)).toEqual([b.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(t.http).get(`/api/rooms?limit=1&cursor=${first.body.nextCursor}`).set(admin).expect(200);
    expect(second.body.items.map((r: Room) => r.id)).toEqual([a.id]);
    await request(t.http).get('/api/rooms?cursor=garbage').set(admin).expect(400);
  });

  it('is for admins only (403 for a user, 401 without a token) and 404 for an unknown room', async () => {
    await request(t.http).get('/api/rooms').set(bearer(tokenFor())).expect(403);
    await request(t.http).post('/api/rooms').send({ slug: 'xx', name: 'x' }).expect(401);
    const missing = await request(t.http).get('/api/rooms/00000000-0000-4000-8000-000000000000').set(admin);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
