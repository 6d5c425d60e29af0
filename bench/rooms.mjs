// Rooms and conversations scenarios for `npm run bench` (wired by bench/run.mjs).
//
// export async function run(context) → rows [{ scenario, requestsPerSec, p99Ms, requests, failures, ratio?, ratioOf? }]
// context (from bench/run.mjs):
//   baseUrl      http://127.0.0.1:PORT of the built server (dist/src/main.js), NODE_ENV=production, no seed
//   adminToken   HS256 JWT with role admin (used once, to create the bench room through POST /api/rooms)
//   userToken    HS256 JWT of an ordinary person (sent as the access_token cookie / Bearer header)
//   fake         the FakeElevenLabs the server talks to (its delayMs is set to 50 for the start scenario)
//   load         optional: run.mjs's bounded autocannon wrapper (options) → { requestsPerSec, p99Ms, requests, failures }
//   autocannon   optional: the autocannon function, used when `load` is not given
//   seconds, connections   optional: duration (default 5 s) and connections (default 50) when `load` is not given
//   healthRequestsPerSec   optional: GET /api/health req/s of the same run, for the page's ratio (target ≥ 0.25)
//
// Scenarios (each bounded to `seconds`, against 127.0.0.1):
//   1. GET /rooms/bench-room with the cookie: every request creates a conversation_sessions row and renders the page.
//   2. POST /api/conversations {} with the fake ElevenLabs answering the signed URL in 50 ms: every request creates a
//      session (no roomId, so nothing is resumed), fetches a signed URL and signs a tool token.
export async function run(context) {
  const { baseUrl, adminToken, userToken, fake } = context;
  const seconds = context.seconds ?? 5;
  const connections = context.connections ?? 50;
  const load =
    context.load ??
    (async (options) => {
      if (!context.autocannon) throw new Error('bench/rooms.mjs needs context.load or context.autocannon');
      const result = await context.autocannon({ connections, duration: seconds, ...options });
      return {
        requestsPerSec: Math.round(result.requests.average),
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        failures: result.non2xx + result.errors + result.timeouts,
      };
    });

  const slug = 'bench-room';
  const created = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ slug, name: 'Bench room', description: 'Load test room', kind: 'coaching' }),
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`could not create the bench room: ${created.status} ${await created.text()}`);

  // Warm up (user row, pools, EJS template cache).
  const warm = await fetch(`${baseUrl}/rooms/${slug}`, { headers: { Cookie: `access_token=${userToken}`, Accept: 'text/html' } });
  if (warm.status !== 200) throw new Error(`room page answered ${warm.status}: ${(await warm.text()).slice(0, 300)}`);

  const rows = [];
  const page = await load({ url: `${baseUrl}/rooms/${slug}`, headers: { Cookie: `access_token=${userToken}`, Accept: 'text/html' } });
  rows.push({
    scenario: 'GET /rooms/:slug (creates a session, renders the widget)',
    ...page,
    ...(context.healthRequestsPerSec ? { ratio: page.requestsPerSec / context.healthRequestsPerSec, ratioOf: 'health' } : {}),
  });

  const previousDelay = fake.delayMs;
  fake.delayMs = 50;
  try {
    const start = await load({
      url: `${baseUrl}/api/conversations`,
      method: 'POST',
      headers: { Authorization: `Bearer ${userToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    rows.push({ scenario: 'POST /api/conversations (fake ElevenLabs 50 ms)', ...start });
  } finally {
    fake.delayMs = previousDelay;
  }
  return rows;
}
