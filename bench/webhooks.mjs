// Webhook benchmarks, wired into bench/run.mjs by the lead.
//
//   import { run } from './webhooks.mjs';
//   const result = await run({ baseUrl, databaseUrl, webhookSecret, autocannon, initSecret?, initHeader?, durationSeconds?, connections? });
//
// Inputs:
//   baseUrl        the built server (dist/src/main.js) on 127.0.0.1, started with ELEVENLABS_WEBHOOK_SECRET=webhookSecret
//                  (and CONVERSATION_INIT_SECRET=initSecret for the conversation-init scenario; skipped when absent)
//   databaseUrl    the same PostgreSQL the server uses (the bare baseline inserts into its webhook_events table)
//   webhookSecret  the webhook HMAC secret
//   autocannon     the autocannon module (default export)
//   durationSeconds (default 5), connections (default 20)
// Returns { rows: [{ scenario, requestsPerSec, p99Ms, ... }], ratio, processedPerSec }:
//   - "webhook accept (server)": signed post_call_transcription deliveries, a fresh conversation id per request, from one of 50 known people with data collection
//   - "webhook accept (bare node:http + pg)": the same verify + single INSERT … ON CONFLICT in a bare server
//   - ratio = server req/s ÷ bare req/s (target ≥ 0.5)
//   - "webhook processing": events processed per second after the burst (counted in webhook_events)
//   - "conversation-init": p99 of the inbound-call personalisation webhook
// Everything is on 127.0.0.1, bounded in time (≈ 3 × duration + processing wait ≤ 60 s) and in count.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

// Every call's turns differ (a word from its conversation id), as real transcripts do: nothing read for one
// call can be reused for the next.
const callTag = (conversationId, turn) => `${conversationId.slice(-8)}x${turn}`;
// Calls of known people with data collection, so processing runs everything a real call costs: the person's
// match, insights (goals, action items, topics, sentiment), the profile snapshot. Their PEOPLE users are created first
// (BENCH_PEOPLE, default 50: a burst of calls from few people, so concurrent batches often want the same person).
export const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50);
const personOf = (conversationId) => `bench_person_${parseInt(conversationId.slice(-6), 16) % PEOPLE}`;
const collected = (id, value) => ({ data_collection_id: id, value, rationale: 'bench' });
export const postCallExample = (conversationId) => ({
  type: 'post_call_transcription',
  event_timestamp: Math.floor(Date.now() / 1000),
  data: {
    agent_id: 'agent_bench', conversation_id: conversationId, status: 'done', user_id: personOf(conversationId),
    has_audio: false, has_user_audio: false, has_response_audio: false,
    // 20 turns, as the issue's processing target states.
    transcript: Array.from({ length: 20 }, (_, i) => (i % 2 === 0
      ? { role: 'agent', message: `How did the plan work out this week, and what would you like to change, ${callTag(conversationId, i)}?`, time_in_call_secs: i * 6 }
      : { role: 'user', message: `Pretty good, I slept better and went running twice, but work stress is still high at ${callTag(conversationId, i)}.`, time_in_call_secs: i * 6 })),
    metadata: { start_time_unix_secs: Math.floor(Date.now() / 1000) - 120, call_duration_secs: 95 },
    analysis: { call_successful: 'success', transcript_summary: 'Weekly check-in; sleep and running improved.', call_summary_title: 'Weekly check-in', evaluation_criteria_results: {},
      data_collection_results: {
        goals: collected('goals', JSON.stringify(['Sleep seven hours', `Run a 10k ${callTag(conversationId, 'g')}`])),
        action_items: collected('action_items', JSON.stringify(['Phone away at 10pm', `Book a race ${callTag(conversationId, 'a')}`])),
        mood: collected('mood', 'optimistic'),
      } },
    conversation_initiation_client_data: { dynamic_variables: {} },
  },
});

function sign(body, secret) {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v0=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

function signedDelivery(secret, prefix) {
  const body = JSON.stringify(postCallExample(`conv_${prefix}_${randomUUID().replace(/-/g, '')}`));
  return { method: 'POST', headers: { 'content-type': 'application/json', 'elevenlabs-signature': sign(body, secret) }, body };
}

async function fire(autocannon, { url, durationSeconds, connections, request }) {
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [{ setupRequest: (req) => ({ ...req, ...request() }) }],
  });
  const ok = result['2xx'];
  return { requestsPerSec: Math.round(ok / durationSeconds), p99Ms: result.latency.p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors };
}

/** The baseline: what a bare node:http server does for the same delivery (verify HMAC, one INSERT through pg). */
async function startBareServer(databaseUrl, secret) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks);
    const header = String(req.headers['elevenlabs-signature'] ?? '');
    const t = /t=(\d+)/.exec(header)?.[1];
    const v0 = /v0=([0-9a-f]{64})/.exec(header)?.[1];
    const expected = t && createHmac('sha256', secret).update(`${t}.`).update(raw).digest();
    if (!v0 || !expected || !timingSafeEqual(Buffer.from(v0, 'hex'), expected)) return res.writeHead(401).end();
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return res.writeHead(400).end();
    }
    const key = body?.data?.conversation_id ? `${body.type}:${body.data.conversation_id}` : `${body.type}:sha256:${createHash('sha256').update(raw).digest('hex')}`;
    try {
      await pool.query(
        `INSERT INTO webhook_events (event_type, dedupe_key, source, payload, status, received_at, next_attempt_at)
         VALUES ($1, $2, 'webhook', $3::jsonb, 'processed', now(), now()) ON CONFLICT (dedupe_key) DO NOTHING`,
        [body.type, key, raw.toString('utf8')],
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

/**
 * Events of `pattern` not processed yet, read through the due index (pending or failed rows only), so that polling
 * while the backlog drains does not scan the whole table and take CPU from the processing it measures.
 */
async function unprocessed(db, pattern) {
  const { rows: [{ n }] } = await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE status IN ('pending', 'failed') AND next_attempt_at <= 'infinity' AND dedupe_key LIKE $1`, [pattern]);
  return n;
}

/** Events of `pattern` processed at or after `since` (intake over), and their rate up to the last one: processing alone. */
async function processedSince(db, pattern, since) {
  const { rows: [{ n, last }] } = await db.query(
    `SELECT count(*)::int AS n, max(processed_at) AS last FROM webhook_events WHERE dedupe_key LIKE $1 AND status = 'processed' AND processed_at >= $2`,
    [pattern, since],
  );
  const seconds = last ? Math.max((new Date(last) - since) / 1000, 0.001) : 0;
  return n ? `${n} events in ${seconds.toFixed(1)} s, ${Math.round(n / seconds)} events/s` : 'none';
}

export async function run({ baseUrl, databaseUrl, webhookSecret, autocannon, initSecret, initHeader = 'x-convai-secret', durationSeconds = 5, connections = 20 }) {
  const rows = [];
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const prefix = `bench${Date.now().toString(36)}`;
    await db.query(
      `INSERT INTO users (external_id, display_name) SELECT 'bench_person_' || n, 'Bench Person ' || n FROM generate_series(0, $1 - 1) AS n ON CONFLICT (external_id) DO NOTHING`,
      [PEOPLE],
    );
    // (b) the bare baseline first, on an idle database (same database, same request generator), so that
    // neither side runs while the other's work is still draining
    const bare = await startBareServer(databaseUrl, webhookSecret);
    try {
      const baseline = await fire(autocannon, { url: bare.url, durationSeconds, connections, request: () => signedDelivery(webhookSecret, `${prefix}bare`) });
      rows.push({ scenario: 'webhook accept (bare node:http + pg)', ...baseline });
    } finally {
      await bare.close();
      await db.query(`DELETE FROM webhook_events WHERE dedupe_key LIKE $1`, [`post_call_transcription:conv_${prefix}bare_%`]);
    }

    // (a) the server: verify, store, answer 200 (processing runs behind it)
    const server = await fire(autocannon, { url: `${baseUrl}/api/webhooks/elevenlabs`, durationSeconds, connections, request: () => signedDelivery(webhookSecret, prefix) });
    rows.push({ scenario: 'webhook accept (server)', ...server });

    // (c) processed events per second: count the burst's rows as they become processed
    const pattern = `post_call_transcription:conv_${prefix}_%`;
    const stored = Number((await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key LIKE $1`, [pattern])).rows[0].n);
    const startedAt = Date.now();
    let processed = stored - (await unprocessed(db, pattern));
    const deadline = startedAt + 30_000;
    while (processed < stored && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      processed = stored - (await unprocessed(db, pattern));
    }
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.25);
    const { rows: [{ first, last }] } = await db.query(
      `SELECT min(processed_at) AS first, max(processed_at) AS last FROM webhook_events WHERE dedupe_key LIKE $1 AND status = 'processed'`,
      [pattern],
    );
    const span = first && last ? Math.max((new Date(last) - new Date(first)) / 1000, 0.001) : seconds;
    const processedPerSec = Math.round(processed / span);
    const alone = await processedSince(db, pattern, new Date(startedAt));
    rows.push({
      scenario: 'webhook processing', requestsPerSec: processedPerSec, p99Ms: null, total: processed, stored, drainedAfterBurstSeconds: Math.round(seconds * 10) / 10,
      note: `${processedPerSec} events/s from the first processed (intake running for part of it); after intake ended: ${alone}`,
    });

    // (d) a burst of BENCH_BURST (default 10,000) deliveries: how long until the backlog is drained (bounded: 300 s)
    const burstSize = Number(process.env.BENCH_BURST ?? 10_000);
    if (burstSize > 0) {
      const burstPrefix = `${prefix}burst`;
      const burstStart = Date.now();
      const sent = await autocannon({ url: `${baseUrl}/api/webhooks/elevenlabs`, connections, amount: burstSize, timeout: 10, requests: [{ setupRequest: (req) => ({ ...req, ...signedDelivery(webhookSecret, burstPrefix) }) }] });
      const acceptedSeconds = (Date.now() - burstStart) / 1000;
      const burstPattern = `post_call_transcription:conv_${burstPrefix}_%`;
      const left = () => unprocessed(db, burstPattern);
      const burstDeadline = Date.now() + 300_000;
      let remaining = await left();
      while (remaining > 0 && Date.now() < burstDeadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        remaining = await left();
      }
      const drainSeconds = (Date.now() - burstStart) / 1000;
      const alone = await processedSince(db, burstPattern, new Date(burstStart + acceptedSeconds * 1000));
      rows.push({
        scenario: `burst of ${burstSize} deliveries`,
        requestsPerSec: Math.round(sent['2xx'] / acceptedSeconds),
        p99Ms: sent.latency.p99,
        total: sent.requests.total,
        non2xx: sent.non2xx,
        errors: sent.errors,
        note: remaining === 0
          ? `accepted in ${acceptedSeconds.toFixed(1)} s; backlog drained ${drainSeconds.toFixed(1)} s after the burst began (${Math.round(burstSize / drainSeconds)} events/s overall); after the last was accepted: ${alone}`
          : `accepted in ${acceptedSeconds.toFixed(1)} s; ${remaining} still unprocessed after 300 s`,
      });
    }

    // conversation-init p99 (inbound-call personalisation)
    if (initSecret) {
      const init = await fire(autocannon, {
        url: `${baseUrl}/api/webhooks/elevenlabs/conversation-init`,
        durationSeconds,
        connections: Math.min(connections, 10),
        request: () => ({ method: 'POST', headers: { 'content-type': 'application/json', [initHeader]: initSecret }, body: JSON.stringify({ caller_id: '+14155552671', agent_id: 'agent_bench', called_number: '+15550001111', call_sid: 'CAbench' }) }),
      });
      rows.push({ scenario: 'conversation-init', ...init });
    }
  } finally {
    await db.end();
  }
  const server = rows.find((row) => row.scenario === 'webhook accept (server)');
  const bare = rows.find((row) => row.scenario === 'webhook accept (bare node:http + pg)');
  const ratio = bare?.requestsPerSec ? Math.round((server.requestsPerSec / bare.requestsPerSec) * 100) / 100 : null;
  Object.assign(server, { ratio, ratioOf: 'bare node:http + pg' });
  return { rows, ratio, processedPerSec: rows.find((row) => row.scenario === 'webhook processing')?.requestsPerSec ?? null };
}
