import { readFileSync } from 'node:fs';
import request from 'supertest';
import { ConversationSession } from '../src/conversations/entities/conversation-session.entity.js';
import { ConversationSummary } from '../src/conversations/entities/conversation-summary.entity.js';
import { WIDGET_SCRIPT_FILE } from '../src/pages/assets.controller.js';
import { User } from '../src/users/entities/user.entity.js';
import { createRoom, tokenFor, uniqueSub } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

/** Decodes what EJS's <%= %> escapes, as a browser decodes an attribute value. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#39|#34|quot|amp|lt|gt);/g, (_, entity: string) => ({ '#39': "'", '#34': '"', quot: '"', amp: '&', lt: '<', gt: '>' })[entity]!);
}

function widgetAttributes(html: string): Record<string, string> {
  const tag = /<elevenlabs-convai\s([^>]*)>/.exec(html);
  if (!tag) throw new Error('no <elevenlabs-convai> in the page');
  return Object.fromEntries([...tag[1].matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1], decodeAttribute(m[2])]));
}

describe('room page and home page (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => t.fake.reset());

  const visit = (path: string, token: string) => request(t.http).get(path).set('Cookie', `access_token=${token}`).set('Accept', 'text/html');
  const sessionsOf = async (sub: string) => {
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    return t.dataSource.getRepository(ConversationSession).find({ where: { userId: user.id }, order: { startedAt: 'ASC' } });
  };

  it('creates a web session per visit and embeds the widget with agent-id and the dynamic variables', async () => {
    const room = await createRoom(t.dataSource, { name: 'Goals & <dreams>', description: 'Find "what" matters', kind: 'goal_discovery' });
    const sub = uniqueSub();
    const name = `Zoë "Z" O'Brien </script><img src=x onerror=alert(1)> 🚀`;
    const page = await visit(`/rooms/${room.slug}`, tokenFor({ sub, name }));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');

    const [session] = await sessionsOf(sub);
    expect(session).toMatchObject({ roomId: room.id, channel: 'web', status: 'active', sessionType: 'goal_discovery', agentId: 'agent_test' });
    expect(session.sessionId).toMatch(/^sess_/);
    expect(session.customCallId).toMatch(/^call_/);

    const attributes = widgetAttributes(page.text);
    expect(attributes['agent-id']).toBe('agent_test');
    expect(attributes).not.toHaveProperty('signed-url');
    const variables = JSON.parse(attributes['dynamic-variables']);
    expect(variables).toMatchObject({ user_name: name, session_id: session.sessionId, room_id: room.id, conversation_count: '0', onboarding_phase: 'goal_discovery', last_conversation_summary: '', open_action_items: '' });
    expect(variables.secret__tool_token).toEqual(expect.any(String));
    // Nothing of the name reached the markup unescaped.
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).not.toContain(`</script><img`);
    expect(page.text).toContain('Goals &amp; &lt;dreams&gt;');
    expect(page.text).toContain('Find &#34;what&#34; matters');
    expect(page.text).toContain('href="/"');
    expect(page.text).toContain('<script src="/assets/convai-widget.js" async');
    expect(page.text).toContain(`data-conversation-id="${session.id}"`);
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    expect(t.fake.requests).toHaveLength(0); // a public agent needs no signed URL

    await visit(`/rooms/${room.slug}`, tokenFor({ sub, name })).expect(200);
    expect(await sessionsOf(sub)).toHaveLength(2);
  });

  it('sets a Content-Security-Policy that lets the widget reach its hosts and nothing else', async () => {
    const room = await createRoom(t.dataSource);
    const page = await visit(`/rooms/${room.slug}`, tokenFor()).expect(200);
    const csp = Object.fromEntries(
      String(page.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(csp['script-src']).toEqual(["'self'", 'blob:', 'https://cdn.jsdelivr.net']);
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
    expect(csp['connect-src']).toEqual(
      expect.arrayContaining(["'self'", 'https://*.elevenlabs.io', 'wss://*.elevenlabs.io', 'wss://livekit.rtc.elevenlabs.io', 'https://*.livekit.cloud', 'wss://*.livekit.cloud']),
    );
    expect(csp['font-src']).toContain('https://fonts.gstatic.com');
    expect(csp['style-src']).toContain('https://fonts.googleapis.com');
    expect(csp['img-src']).toEqual(expect.arrayContaining(["'self'", 'data:', 'https://storage.googleapis.com']));
    expect(csp['media-src']).toContain('blob:');
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
  });

  it('renders only signed-url (no agent-id) for a room whose agent requires auth', async () => {
    const room = await createRoom(t.dataSource, { requiresAuth: true, agentId: 'agent_private' });
    const page = await visit(`/rooms/${room.slug}`, tokenFor()).expect(200);
    const attributes = widgetAttributes(page.text);
    expect(attributes).not.toHaveProperty('agent-id');
    expect(attributes['signed-url']).toMatch(/^wss:\/\/api\.elevenlabs\.io\/v1\/convai\/conversation\?agent_id=agent_private&conversation_signature=sig_/);
    expect(t.fake.requestsTo(/get-signed-url/)[0].query).toEqual({ agent_id: 'agent_private' });
  });

  it.each([
    [500, 502],
    [429, 503],
  ])('answers an auth room page with %s from ElevenLabs with a %s page and creates no session', async (upstream, expected) => {
    const room = await createRoom(t.dataSource, { requiresAuth: true });
    t.fake.fail({ match: /get-signed-url/, status: upstream as 500 | 429 });
    const sub = uniqueSub();
    const page = await visit(`/rooms/${room.slug}`, tokenFor({ sub }));
    expect(page.status).toBe(expected);
    expect(page.headers['content-type']).toMatch(/html/);
    expect(page.text).toMatch(/ElevenLabs/);
    expect(await t.dataSource.getRepository(ConversationSession).countBy({ roomId: room.id })).toBe(0);
  });

  it('answers 404 (page) for an unknown or inactive room, and JSON 404 to a JSON client', async () => {
    const inactive = await createRoom(t.dataSource, { isActive: false });
    for (const slug of ['no-such-room', inactive.slug]) {
      const page = await visit(`/rooms/${slug}`, tokenFor());
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/html/);
      expect(page.text).toContain('href="/"');
    }
    const json = await request(t.http).get('/rooms/no-such-room').set('Cookie', `access_token=${tokenFor()}`).set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no room "no-such-room"', code: 'room_not_found' });
    expect(await t.dataSource.getRepository(ConversationSession).countBy({ roomId: inactive.id })).toBe(0);
  });

  it("shows the person's last summary and open action items", async () => {
    const room = await createRoom(t.dataSource);
    const sub = uniqueSub();
    const token = tokenFor({ sub });
    await visit('/', token).expect(200); // creates the user
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub });
    await t.dataSource.getRepository(ConversationSummary).save({ conversationId: `conv_${sub}`, userId: user.id, summary: 'We talked about <sleep>.', startedAt: new Date() });
    const page = await visit(`/rooms/${room.slug}`, token).expect(200);
    expect(page.text).toContain('We talked about &lt;sleep&gt;.');
    expect(page.text).toContain('Nothing open.');
    expect(JSON.parse(widgetAttributes(page.text)['dynamic-variables'])).toMatchObject({ conversation_count: '1', last_conversation_summary: 'We talked about <sleep>.' });
  });

  it('GET / lists the active rooms (current phase first) and the person\'s recent conversations', async () => {
    const coaching = await createRoom(t.dataSource, { name: 'AAA Coaching', kind: 'coaching' });
    const discovery = await createRoom(t.dataSource, { name: 'ZZZ Discovery', kind: 'goal_discovery' });
    const hidden = await createRoom(t.dataSource, { name: 'Hidden room', isActive: false });
    const sub = uniqueSub();
    const token = tokenFor({ sub, name: 'Home <Person>' });
    const empty = await visit('/', token).expect(200);
    expect(empty.text).toContain('No conversations yet.');
    await visit(`/rooms/${coaching.slug}`, token).expect(200);

    const home = await visit('/', token).expect(200);
    expect(home.text).toContain('Hello, Home &lt;Person&gt;');
    expect(home.text).toContain(`href="/rooms/${coaching.slug}"`);
    expect(home.text).toContain(`href="/rooms/${discovery.slug}"`);
    expect(home.text).not.toContain(hidden.name);
    expect(home.text.indexOf(discovery.name)).toBeLessThan(home.text.indexOf(coaching.name)); // goal_discovery first for a new person
    expect(home.text).toContain('start here');
    const table = home.text.slice(home.text.indexOf('<table'));
    expect(table).toContain(coaching.name);
    expect(table).toContain('active');
  });

  it('serves the widget script from the npm package with cache headers, and the page assets, without a token', async () => {
    const widget = await request(t.http).get('/assets/convai-widget.js').expect(200);
    expect(widget.headers['content-type']).toMatch(/javascript/);
    expect(widget.headers['cache-control']).toBe('public, max-age=86400');
    expect(widget.text.length).toBe(readFileSync(WIDGET_SCRIPT_FILE, 'utf8').length);
    const css = await request(t.http).get('/assets/app.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const js = await request(t.http).get('/assets/room-client.js').expect(200);
    expect(js.text).toContain('elevenlabs-convai:call');
    await request(t.http).get('/assets/..%2Fpackage.json').expect(404);
    await request(t.http).get('/assets/nothing.js').expect(404);
  });
});
