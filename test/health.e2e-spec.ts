import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EmbeddedDatabase } from '../src/database/embedded-database.js';
import { type TestApp, createTestApp } from './support/test-app.js';

describe('health and docs (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/health answers 200 with the database up and the version, without a token', async () => {
    const response = await request(t.http).get('/api/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('serves the OpenAPI UI and document', async () => {
    await request(t.http).get('/api/docs').expect(200).expect('content-type', /html/);
    const document = await request(t.http).get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/settings/agent']));
  });

  it('applies the migrations: every table of the data model exists', async () => {
    const rows: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['users', 'rooms', 'conversation_sessions', 'conversation_messages', 'conversation_summaries', 'user_insights',
        'webhook_events', 'activity_events', 'callback_tasks', 'scheduled_check_ins', 'call_attempts', 'settings']),
    );
    expect(await t.dataSource.showMigrations()).toBe(false); // nothing pending
  });

  it('sends helmet security headers and no x-powered-by', async () => {
    const response = await request(t.http).get('/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers 503 while its database is down and 200 again once it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convai-health-'));
    const database = new EmbeddedDatabase({ dir: join(dir, 'db'), port: 51000 + Math.floor(Math.random() * 3000), persistent: false });
    const url = await database.start();
    const own = await createTestApp({ env: { DATABASE_URL: url } });
    try {
      await request(own.http).get('/api/health').expect(200);
      await database.stop();
      const down = await request(own.http).get('/api/health');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/database unreachable/) });
      await database.start();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await request(own.http).get('/api/health')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await own.close();
      await database.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
