/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { WebhookEvent } from '../src/webhooks/entities/webhook-event.entity.js';
import { launchChromium } from './support/chromium.js';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { adminToken, bearer } from './support/factories.js';
import { TEST_WEBHOOK_SECRET, type TestApp, createTestApp } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const unique = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

/**
 * GET /admin in Debian's Chromium. Seeded range 2022-05-01..2022-05-03 in Europe/Berlin (UTC+2 in May), by SQL:
 *   2022-04-30T21:30Z  Apr 30 23:30  outside            2022-04-30T22:30Z  May 1 00:30  appointment_booked 100 s
 *   2022-05-02T10:00Z  May 2 12:00   escalated 200 s     2022-05-03T21:59Z  May 3 23:59  resolved 300 s
 *   2022-05-03T22:01Z  May 4 00:01   outside
 * → 3 calls, 1 appointment, 1 escalation, success 66.7 %, average 3:20, total 10:00, one call per day.
 */
describe('admin dashboard in headless Chromium (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  const token = adminToken({ name: 'Page Admin', zoneinfo: 'Europe/Berlin' });

  const insertSummary = (conversationId: string, startedAt: string, outcome: string, rawOutcome: string | null, duration: number) =>
    t.dataSource.query(
      `INSERT INTO conversation_summaries (conversation_id, title, summary, started_at, outcome, raw_outcome, intent, sentiment, duration_secs, source)
       VALUES ($1, $2, 'Seeded for the page test.', $3, $4, $5, 'scheduling', 'neutral', $6, 'webhook')`,
      [conversationId, `Seeded ${startedAt}`, startedAt, outcome, rawOutcome, duration],
    );

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    browser = await launchChromium();
    await insertSummary(unique('seed'), '2022-04-30T21:30:00Z', 'resolved', null, 50);
    await insertSummary(unique('seed'), '2022-04-30T22:30:00Z', 'resolved', 'appointment_booked', 100);
    await insertSummary(unique('seed'), '2022-05-02T10:00:00Z', 'escalated', null, 200);
    await insertSummary(unique('seed'), '2022-05-03T21:59:00Z', 'resolved', null, 300);
    await insertSummary(unique('seed'), '2022-05-03T22:01:00Z', 'unresolved', null, 70);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the KPIs from seeded data, updates live from a signed webhook, replays a failed event, and saves a screenshot', async () => {
    // A delivery that failed for good (attempts used up) and waits for a replay; the payload itself is fine.
    const failedConversation = unique('conv_failed');
    const failedPayload = examplePostCallTranscription(failedConversation);
    (failedPayload.data.metadata as Record<string, unknown>).start_time_unix_secs = Date.parse('2022-05-02T12:00:00Z') / 1000;
    const events = t.dataSource.getRepository(WebhookEvent);
    const failed = await events.save(
      events.create({ eventType: 'post_call_transcription', dedupeKey: `post_call_transcription:${failedConversation}`, payload: failedPayload, status: 'failed', attempts: 99, nextAttemptAt: new Date(Date.now() + 86_400_000), error: 'insights store unavailable' }),
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const cspViolations: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (process.env.DEBUG_BROWSER) process.stdout.write(`console: ${message.text()}\n`);
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]).*/, (route) => route.abort());

    const response = await page.goto(`${t.url}/admin?from=2022-05-01&to=2022-05-03&token=${token}`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    const card = (key: string) => page.locator(`[data-kpi="${key}"] .kpi-value`);
    expect(await page.locator('#dashboard').getAttribute('data-tz')).toBe('Europe/Berlin');
    expect(await card('totalCalls').textContent()).toBe('3');
    expect(await card('appointmentsBooked').textContent()).toBe('1');
    expect(await card('escalations').textContent()).toBe('1');
    expect(await card('successRate').textContent()).toBe('66.7%');
    expect(await card('averageDurationSecs').textContent()).toBe('3:20');
    expect(await card('totalDurationSecs').textContent()).toBe('10:00');
    expect(await page.locator('#calls-per-day rect.bar').evaluateAll((bars) => bars.map((bar) => [bar.getAttribute('data-date'), bar.getAttribute('data-count')]))).toEqual([
      ['2022-05-01', '1'],
      ['2022-05-02', '1'],
      ['2022-05-03', '1'],
    ]);
    expect(await page.locator('#breakdown-outcomes dd[data-name="resolved"] .count').textContent()).toBe('2');
    expect(await page.locator('#breakdown-outcomes dd[data-name="escalated"] .count').textContent()).toBe('1');
    const today = await request(t.http).get('/api/dashboard').set(bearer(token));
    expect(await card('callsToday').textContent()).toBe(String(today.body.callsToday));
    expect(await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')))).toEqual(['/assets/admin.js']);

    // Live: a signed webhook for a call that just ended, posted while the page is open.
    await page.locator('#live-status[data-state="open"]').waitFor();
    const rowsBefore = await page.locator('#calls tbody tr').count();
    const conversationId = unique('conv_live');
    const payload = examplePostCallTranscription(conversationId);
    const data = payload.data as Record<string, any>;
    // Started now, not a minute ago: just after local midnight (Europe/Berlin) a minute ago is yesterday.
    data.metadata.start_time_unix_secs = Math.floor(Date.now() / 1000);
    data.analysis.call_summary_title = 'Live call from the browser test';
    const body = JSON.stringify(payload);
    const delivered = await request(t.http).post('/api/webhooks/elevenlabs').set('Content-Type', 'application/json').set('ElevenLabs-Signature', signWebhook(body, TEST_WEBHOOK_SECRET)).send(body);
    expect(delivered.status).toBe(200);

    await page.locator('#activity li[data-type="call_completed"]', { hasText: 'Live call from the browser test' }).waitFor({ timeout: 10_000 });
    await page.locator('#calls tbody tr', { hasText: 'Live call from the browser test' }).waitFor({ timeout: 10_000 });
    await page.waitForFunction((expected) => document.querySelector('[data-kpi="callsToday"] .kpi-value')?.textContent === expected, String(today.body.callsToday + 1), { timeout: 10_000 });
    // The table shows the newest page (20 rows); other spec files share this database, so it may already be full
    // (the live row's presence is awaited above).
    expect(await page.locator('#calls tbody tr').count()).toBe(Math.min(rowsBefore + 1, 20));
    const link = await page.locator('#calls tbody tr', { hasText: 'Live call from the browser test' }).locator('a').getAttribute('href');
    expect(link).toMatch(/^\/admin\/conversations\/[0-9a-f-]{36}$/);

    // Replay the failed delivery from the page.
    const item = page.locator(`#failed-webhooks li[data-event-id="${failed.id}"]`);
    await item.locator('button[data-replay]').click();
    await item.locator('.result', { hasText: 'replayed: processed' }).waitFor({ timeout: 10_000 });
    expect((await events.findOneByOrFail({ id: failed.id })).status).toBe('processed');
    // The replayed call started 2022-05-02 14:00 Berlin: the range's cards, chart and breakdowns follow without a reload.
    await page.waitForFunction(() => document.querySelector('[data-kpi="totalCalls"] .kpi-value')?.textContent === '4', undefined, { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('#calls-per-day rect[data-date="2022-05-02"]')?.getAttribute('data-count') === '2', undefined, { timeout: 10_000 });
    expect(await page.locator('#breakdown-outcomes dd[data-name="resolved"] .count').textContent()).toBe('3');
    const heights = await page.locator('#calls-per-day rect.bar').evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('height'))));
    expect(heights[1]).toBeCloseTo(heights[0] * 2, 0);
    // The table keeps newest-first order after the replay re-rendered it: the replayed 2022 call sits below today's
    // live call, or falls off the first page when other spec files have filled it.
    const calledAt = await page.locator('#calls tbody tr').evaluateAll((rows) => rows.map((row) => Date.parse(row.getAttribute('data-called-at') ?? '')));
    expect(calledAt.every(Number.isFinite)).toBe(true);
    expect(calledAt).toEqual([...calledAt].sort((a, b) => b - a));
    expect(calledAt).toHaveLength(Math.min(rowsBefore + 2, 20));
    expect(await page.locator('#calls tbody tr', { hasText: 'Live call from the browser test' }).count()).toBe(1);
    expect(await page.locator('#calls tbody tr time').allTextContents()).not.toContainEqual(expect.stringMatching(/ 24:/));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // The call's own page: transcript as a chat, summary, the webhook event that made it.
    await page.goto(`${t.url}${link}`);
    expect(await page.locator('h1').textContent()).toBe('Live call from the browser test');
    expect(await page.locator('#transcript li[data-role="agent"]').count()).toBe(2);
    expect(await page.locator('#transcript li[data-role="user"] .text').textContent()).toBe("Yes, I'll be there.");
    expect(await page.locator('#webhook-events tbody tr').count()).toBe(1);
    expect(await page.locator('#evaluation dd').first().textContent()).toContain('Caller confirmed.');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-conversation.png'), fullPage: true });

    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  }, 60_000);
});
