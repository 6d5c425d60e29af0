/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { ConversationMessage } from '../src/conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../src/conversations/entities/conversation-session.entity.js';
import { PERSONALISATION_VARIABLES } from '../src/insights/personalisation.service.js';
import { ToolTokenService } from '../src/tools/tool-token.service.js';
import { User } from '../src/users/entities/user.entity.js';
import { launchChromium } from './support/chromium.js';
import { createRoom, tokenFor, uniqueSub } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

/** A widget config as GET /v1/convai/agents/{id}/widget returns it (enough for the widget to render). */
const WIDGET_CONFIG = {
  variant: 'full',
  placement: 'bottom-right',
  avatar: { type: 'orb', color_1: '#2792dc', color_2: '#9ce6e6' },
  feedback_mode: 'none',
  language: 'en',
  supported_language_overrides: [],
  text_input_enabled: true,
  transcript_enabled: false,
  mic_muting_enabled: false,
  default_expanded: false,
  always_expanded: false,
  text_contents: {},
  styles: {},
  terms_text: null,
  terms_html: null,
};
const NAME = `Zoë "Z" O'Brien </script><img src=x onerror=alert(1)> 🚀`;

/** The room page in Debian's Chromium: sign in with ?token=, read the widget element from the live DOM. */
describe('room page in headless Chromium (e2e)', () => {
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

  it('delivers the exact dynamic variables to the widget for a hostile name, with no injected element or dialog', async () => {
    const room = await createRoom(t.dataSource, { name: 'Browser room', description: 'Talk here' });
    const sub = uniqueSub();
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (process.env.DEBUG_BROWSER) process.stdout.write(`console: ${message.text()}\n`);
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    // The widget asks ElevenLabs for its config; answer locally and keep every other outside host away.
    await page.route(/https:\/\/([a-z.]+\.)?elevenlabs\.io\/.*/, (route) => route.fulfill({ json: { widget_config: WIDGET_CONFIG } }));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]).*/, (route) => {
      if (/elevenlabs\.io/.test(route.request().url())) return route.fallback();
      return route.abort();
    });

    const response = await page.goto(`${t.url}/rooms/${room.slug}?token=${tokenFor({ sub, name: NAME })}`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/rooms/${room.slug}`);
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar

    const widget = page.locator('elevenlabs-convai');
    await widget.waitFor({ state: 'attached' });
    const attributes = await widget.evaluate((element) => Object.fromEntries(element.getAttributeNames().map((name: string) => [name, element.getAttribute(name)])));
    expect(attributes['agent-id']).toBe('agent_test');
    expect(attributes).not.toHaveProperty('signed-url');
    const variables = JSON.parse(attributes['dynamic-variables'] as string) as Record<string, string>;

    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    const session = await t.dataSource.getRepository(ConversationSession).findOneByOrFail({ userId: user.id });
    expect(Object.keys(variables).sort()).toEqual([...new Set([...PERSONALISATION_VARIABLES, 'session_id', 'room_id', 'secret__tool_token'])].sort());
    expect(variables).toEqual({
      user_name: NAME,
      session_id: session.sessionId,
      room_id: room.id,
      conversation_count: '0',
      last_conversation_summary: '',
      open_action_items: '',
      recurring_topics: '',
      goals: '',
      coaching_style: '',
      onboarding_phase: 'goal_discovery',
      selected_goals: '',
      secret__tool_token: expect.any(String),
    });
    expect(t.app.get(ToolTokenService).verify(variables.secret__tool_token)).toEqual({ sub: user.id, sid: session.id, scope: 'tool' });

    // The widget script (served by us) registered the element; nothing was injected.
    expect(await page.evaluate(() => Boolean(customElements.get('elevenlabs-convai')))).toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')))).toEqual(['/assets/room-client.js', '/assets/convai-widget.js']);
    expect(await page.locator('h1').textContent()).toBe('Browser room');
    // The widget rendered inside its shadow root under our CSP (config answered by the route above).
    await page.waitForFunction(() => (document.querySelector('elevenlabs-convai')?.shadowRoot?.innerHTML.length ?? 0) > 0, undefined, { timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  }, 60_000);

  it('reports the ElevenLabs conversation id, the transcript and the end through the widget call event', async () => {
    const room = await createRoom(t.dataSource);
    const sub = uniqueSub();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]).*/, (route) => route.abort());
    // Keep the real widget out of this one: drive the call event exactly as the widget fires it.
    await page.route(/\/assets\/convai-widget\.js$/, (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await page.goto(`${t.url}/rooms/${room.slug}?token=${tokenFor({ sub })}`);
    await page.waitForLoadState('load');

    await page.evaluate(async () => {
      const element = document.querySelector('elevenlabs-convai')!;
      const event = new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config: {} as Record<string, unknown> } });
      element.dispatchEvent(event);
      // What the widget and @elevenlabs/client then do: add their own handlers, call onConnect as a method.
      const widgetSeen: string[] = [];
      const options: Record<string, (...args: unknown[]) => unknown> = {
        ...(event.detail.config as Record<string, (...args: unknown[]) => unknown>),
        onMessage: (m: unknown) => widgetSeen.push((m as { message: string }).message),
        onDisconnect: () => widgetSeen.push('disconnected'),
      };
      options.onConnect({ conversationId: 'conv_browser_test' });
      options.onMessage({ source: 'ai', role: 'agent', message: 'Hi, what brings you here?' });
      options.onMessage({ source: 'user', role: 'user', message: 'Sleep, mostly.' });
      options.onDisconnect({ reason: 'user' });
      (window as unknown as { widgetSeen: string[] }).widgetSeen = widgetSeen;
    });
    expect(await page.evaluate(() => (window as unknown as { widgetSeen: string[] }).widgetSeen)).toEqual(['Hi, what brings you here?', 'Sleep, mostly.', 'disconnected']);

    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    const sessions = t.dataSource.getRepository(ConversationSession);
    const deadline = Date.now() + 5000;
    let session = await sessions.findOneByOrFail({ userId: user.id });
    while (session.status !== 'ended' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      session = await sessions.findOneByOrFail({ userId: user.id });
    }
    expect(session).toMatchObject({ elevenlabsConversationId: 'conv_browser_test', status: 'ended' });
    const messages = await t.dataSource.getRepository(ConversationMessage).find({ where: { sessionId: session.id }, order: { clientMessageId: 'ASC' } });
    expect(messages.map((m) => [m.role, m.message])).toEqual([
      ['agent', 'Hi, what brings you here?'],
      ['user', 'Sleep, mostly.'],
    ]);
    await context.close();
  }, 60_000);
});
