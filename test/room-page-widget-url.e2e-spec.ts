import request from 'supertest';
import { createRoom, tokenFor } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

// Its own file: passport keeps one global strategy per process, so one app per spec file.
describe('room page with an absolute WIDGET_SCRIPT_URL (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { WIDGET_SCRIPT_URL: 'https://unpkg.com/@elevenlabs/convai-widget-embed@0.5.4' } });
  });
  afterAll(() => t.close());

  it('loads the widget from there and allows exactly that origin in script-src', async () => {
    const room = await createRoom(t.dataSource);
    const page = await request(t.http).get(`/rooms/${room.slug}`).set('Cookie', `access_token=${tokenFor()}`).expect(200);
    expect(page.text).toContain('<script src="https://unpkg.com/@elevenlabs/convai-widget-embed@0.5.4" async');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' blob: https:\/\/cdn\.jsdelivr\.net https:\/\/unpkg\.com;/);
  });
});
