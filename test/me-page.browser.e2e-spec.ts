/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { User } from '../src/users/entities/user.entity.js';
import { WebhookEventProcessor } from '../src/webhooks/webhook-event.processor.js';
import { launchChromium } from './support/chromium.js';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { bearer, createRoom, tokenFor, uniqueSub } from './support/factories.js';
import { type TestApp, TEST_WEBHOOK_SECRET, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';


interface Call {
  startedAt: string;
  summary: string;
  userTurns: string[];
  goals: string[];
  actionItems: string[];
}

/** The progress page in Debian's Chromium, on data that arrived the real way: signed post-call webhooks. */
describe('/me progress page (e2e, headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A person with three finished calls, delivered as ElevenLabs sends them (signed), then processed. */
  async function personWithCalls(calls: Call[]) {
    const sub = uniqueSub();
    const token = tokenFor({ sub, name: 'Mia Progress' });
    await request(t.http).get('/api/users/me/profile').set(bearer(token)).expect(200); // creates the user from the claims
    for (const call of calls) {
      const payload = examplePostCallTranscription(`conv_${randomUUID().replace(/-/g, '')}`);
      payload.data.user_id = sub;
      payload.data.metadata.start_time_unix_secs = Math.floor(Date.parse(call.startedAt) / 1000);
      payload.data.transcript = call.userTurns.flatMap((message, i) => [
        { role: 'agent', message: 'How did it go?', time_in_call_secs: i * 10, tool_calls: [], tool_results: [], interrupted: false },
        { role: 'user', message, time_in_call_secs: i * 10 + 5 },
      ]) as typeof payload.data.transcript;
      payload.data.analysis.transcript_summary = call.summary;
      payload.data.analysis.data_collection_results = {
        goals: { data_collection_id: 'goals', value: JSON.stringify(call.goals), rationale: 'said so' },
        action_items: { data_collection_id: 'action_items', value: JSON.stringify(call.actionItems), rationale: 'agreed' },
      } as unknown as typeof payload.data.analysis.data_collection_results;
      const body = JSON.stringify(payload);
      await request(t.http).post('/api/webhooks/elevenlabs').set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body).expect(200);
    }
    await t.app.get(WebhookEventProcessor).drain();
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    return { sub, token, user };
  }

  const CALLS: Call[] = [
    {
      startedAt: '2026-11-02T09:00:00Z',
      summary: 'Mia talked about her running training and felt stuck.',
      userTurns: ['I feel terrible, my running training is going badly and I hate missing sessions.'],
      goals: ['Run a 10 km race'],
      actionItems: ['Buy running shoes'],
    },
    {
      startedAt: '2026-11-09T09:00:00Z',
      summary: 'Mia reviewed her running training plan.',
      userTurns: ['It was okay this week, the running training was fine.'],
      goals: ['Run a 10 km race', 'Sleep eight hours'],
      actionItems: ['Plan three runs a week'],
    },
    {
      startedAt: '2026-11-16T09:00:00Z',
      summary: 'Mia is happy with her progress in running training.',
      userTurns: ['I am really happy, it was a great week and I love the progress!'],
      goals: ['Sleep eight hours'],
      actionItems: ['Stretch after every run'],
    },
  ];

  it('renders the goals and the sentiment chart, and ticking an action item marks it done', async () => {
    const { token, user } = await personWithCalls(CALLS);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]).*/, (route) => route.abort());

    const response = await page.goto(`${t.url}/me?token=${token}`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/me');
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);

    expect(await page.locator('#goals li').allTextContents()).toEqual(expect.arrayContaining(['Run a 10 km race', 'Sleep eight hours']));
    const chart = page.locator('#sentiment svg[role="img"]');
    await chart.waitFor();
    expect(await chart.locator('> title').textContent()).toMatch(/Sentiment of your last 3 conversations/);
    expect(await chart.locator('circle.point').count()).toBe(3);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    // Happier calls sit higher: the last dot is above the first.
    const ys = await chart.locator('circle.point').evaluateAll((dots) => dots.map((dot) => Number(dot.getAttribute('cy'))));
    expect(ys[2]).toBeLessThan(ys[0]);
    expect(await page.locator('#topics li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/training\s+× 3/)]));

    // The page script hides the no-script buttons; ticking the box sends the form and the page comes back.
    const openItem = page.locator('.me-action-items.open li', { hasText: 'Stretch after every run' });
    await expect(openItem.locator('.toggle-button').isHidden()).resolves.toBe(true);
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/me\/action-items\//.test(r.url()));
    await openItem.locator('input.done-toggle').click();
    expect((await posted).status()).toBe(303);
    await page.locator('.me-action-items.done li', { hasText: 'Stretch after every run' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/me');
    expect(await page.locator('.me-action-items.done li', { hasText: 'Stretch after every run' }).count()).toBe(1);
    expect(await page.locator('.me-action-items.open li', { hasText: 'Stretch after every run' }).count()).toBe(0);
    expect(await page.locator('.me-action-items.done input.done-toggle').first().isChecked()).toBe(true);

    const profile = await request(t.http).get('/api/users/me/profile').set(bearer(token)).expect(200);
    expect(profile.body.userId).toBe(user.id);
    expect(profile.body.doneActionItems.map((item: { text: string }) => item.text)).toContain('Stretch after every run');
    expect(profile.body.openActionItems.map((item: { text: string }) => item.text)).not.toContain('Stretch after every run');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  describe('the action-item form', () => {
    async function openItemOf(token: string): Promise<string> {
      const profile = await request(t.http).get('/api/users/me/profile').set(bearer(token)).expect(200);
      return profile.body.openActionItems[0].id;
    }

    it('marks done from this site and redirects back to /me; refuses another site, or no origin at all, with 403', async () => {
      const { token } = await personWithCalls(CALLS.slice(0, 1));
      const id = await openItemOf(token);
      const post = () => request(t.http).post(`/me/action-items/${id}`).set('Cookie', `access_token=${token}`).type('form');

      const evil = await post().set('Origin', 'https://evil.example').send('done=true');
      expect(evil.status).toBe(403);
      expect(evil.body.message).toMatch(/must be sent from this site/);
      await post().send('done=true').expect(403); // neither Origin nor Referer
      expect((await request(t.http).get('/api/users/me/profile').set(bearer(token))).body.openActionItems.map((i: { id: string }) => i.id)).toContain(id);

      const origin = t.url;
      const ok = await post().set('Origin', origin).send('done=true');
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/me#action-items');
      const after = (await request(t.http).get('/api/users/me/profile').set(bearer(token))).body;
      expect(after.doneActionItems.map((i: { id: string }) => i.id)).toContain(id);

      // Unticking opens it again (Referer is enough when a browser sends no Origin).
      await post().set('Referer', `${origin}/me`).send('done=false').expect(303);
      expect((await request(t.http).get('/api/users/me/profile').set(bearer(token))).body.openActionItems.map((i: { id: string }) => i.id)).toContain(id);
    });

    it("cannot touch another person's item, and asks for sign-in without a cookie", async () => {
      const { token } = await personWithCalls(CALLS.slice(0, 1));
      const id = await openItemOf(token);
      const other = tokenFor({ sub: uniqueSub() });
      const response = await request(t.http).post(`/me/action-items/${id}`).set('Cookie', `access_token=${other}`).set('Origin', t.url).type('form').send('done=true');
      expect(response.status).toBe(404);
      await request(t.http).post(`/me/action-items/${id}`).set('Origin', t.url).type('form').send('done=true').expect(401);
      const page = await request(t.http).get('/me').set('Accept', 'text/html');
      expect(page.status).toBe(401);
      expect(page.text).toMatch(/token/i);
    });

    it('is linked from / and the room page, and shows an empty state for a new person', async () => {
      const token = tokenFor({ sub: uniqueSub(), name: 'New Person' });
      const home = await request(t.http).get('/').set('Cookie', `access_token=${token}`).expect(200);
      expect(home.text).toContain('href="/me"');
      const room = await createRoom(t.dataSource);
      const roomPage = await request(t.http).get(`/rooms/${room.slug}`).set('Cookie', `access_token=${token}`).expect(200);
      expect(roomPage.text).toContain('href="/me"');
      const me = await request(t.http).get('/me').set('Cookie', `access_token=${token}`).expect(200);
      expect(me.text).toContain('No goals yet');
      expect(me.text).toContain('No sentiment yet');
      expect(me.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    });
  });
});
