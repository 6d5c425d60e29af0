// npm run simulate -- [--url URL] [--calls N] [--days D] [--people P] [--secret S] [--seed N]
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signToken } from '../auth/sign-token.js';
import { type AppConfig, ConfigError, loadAppConfig } from '../config/app-config.js';
import { loadEnvFile } from '../config/env-file.js';
import { devWebhookSecretFile } from '../elevenlabs/dev-webhook-secret.js';
import { type Delivery, type SimulatedPerson, randomSeed, simulateCalls } from './simulated-calls.js';

const CONCURRENCY = 4;
const WAIT_FOR_PROCESSING_MS = 120_000;

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(1);
}

function count(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

/** As the server resolves it: ELEVENLABS_WEBHOOK_SECRET, else the dev secret `npm start` wrote to the data folder. */
function webhookSecret(config: AppConfig, override: string | undefined): { secret: string; from: string } {
  if (override) return { secret: override, from: '--secret' };
  if (config.elevenlabs.webhookSecret) return { secret: config.elevenlabs.webhookSecret, from: 'ELEVENLABS_WEBHOOK_SECRET' };
  const file = devWebhookSecretFile(config);
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), from: file };
  fail(`no webhook secret: set ELEVENLABS_WEBHOOK_SECRET, pass --secret, or start the server once (npm start writes ${file})`);
}

/** The HS256 sign-in key, only if it already exists (this script never creates one the server would not know). */
function jwtSecret(config: AppConfig): string | undefined {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const file = join(config.dataDir, 'jwt-secret');
  return !config.isProduction && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

function signatureFor(body: string, secret: string): string {
  const t = Math.floor(Date.now() / 1000); // the signature is fresh; the call's own times lie in the past
  return `t=${t},v0=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    fail(`cannot reach ${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message} (is the server running? npm start)`);
  }
}

/** Signs each person in once, as their first visit would: the server creates the user from the token's claims. */
async function signIn(base: string, key: string, people: SimulatedPerson[]): Promise<boolean> {
  for (const person of people) {
    const token = signToken(key, { sub: person.externalId, name: person.name, phone_number: person.phoneNumber, zoneinfo: person.timezone, role: 'user' }, '10m');
    const response = await request(`${base}/api/conversations?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 401) return false;
    if (!response.ok) fail(`signing in ${person.name} answered ${response.status}: ${await response.text()}`);
  }
  return true;
}

async function send(base: string, secret: string, delivery: Delivery): Promise<void> {
  const body = JSON.stringify(delivery.body);
  const response = await request(`${base}${delivery.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'elevenlabs-signature': signatureFor(body, secret) },
    body,
  });
  if (response.status === 401) fail(`${base}${delivery.path} refused the signature (401): the server uses another webhook secret than this script; pass --secret or set ELEVENLABS_WEBHOOK_SECRET to the server's`);
  if (response.status !== 200) fail(`${base}${delivery.path} answered ${response.status}: ${await response.text()}`);
}

/** Every stored delivery of one status (all pages), by conversation / call id. */
async function eventsWithStatus(base: string, headers: Record<string, string>, status: string): Promise<Array<{ conversationId: string | null }>> {
  const all: Array<{ conversationId: string | null }> = [];
  let cursor: string | null = null;
  do {
    const response = await request(`${base}/api/webhooks/events?status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers });
    if (!response.ok) fail(`GET /api/webhooks/events answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { items: Array<{ conversationId: string | null }>; nextCursor: string | null };
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Waits until none of the deliveries sent is pending; counts those that failed. */
async function waitForProcessing(base: string, adminToken: string, ids: Set<string>): Promise<{ pending: number; failed: number }> {
  const headers = { authorization: `Bearer ${adminToken}` };
  const ours = async (status: string) => (await eventsWithStatus(base, headers, status)).filter((event) => event.conversationId && ids.has(event.conversationId)).length;
  const deadline = Date.now() + WAIT_FOR_PROCESSING_MS;
  let pending = await ours('pending');
  while (pending > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    pending = await ours('pending');
  }
  return { pending, failed: await ours('failed') };
}

async function main(): Promise<void> {
  loadEnvFile();
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: config.publicUrl },
      calls: { type: 'string', default: '60' },
      days: { type: 'string', default: '14' },
      people: { type: 'string', default: '8' },
      secret: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const base = values.url!.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(base)) fail(`--url must start with http:// or https://, got "${values.url}"`);
  const calls = count('calls', values.calls!, 0, 100_000);
  const days = count('days', values.days!, 1, 3650);
  const people = count('people', values.people!, 1, 1000);
  const seed = values.seed === undefined ? randomSeed() : count('seed', values.seed, 0, 2 ** 32 - 1);
  const { secret, from } = webhookSecret(config, values.secret);

  const health = await request(`${base}/api/health`);
  if (!health.ok) fail(`${base}/api/health answered ${health.status}; is the server up and its database reachable?`);

  const simulation = simulateCalls({ calls, days, people, now: new Date(), seed });
  const key = jwtSecret(config);
  const known = key ? await signIn(base, key, simulation.people) : false;

  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < simulation.deliveries.length) await send(base, secret, simulation.deliveries[next++]);
    }),
  );

  const admin = key ? signToken(key, { sub: 'admin', name: 'Demo Admin', role: 'admin' }, '10m') : undefined;
  const processing = admin ? await waitForProcessing(base, admin, new Set(simulation.deliveries.map((d) => d.id))) : undefined;

  const byKind = (kind: Delivery['kind']) => simulation.deliveries.filter((d) => d.kind === kind).length;
  const outcomes = new Map<string, number>();
  for (const delivery of simulation.deliveries) if (delivery.outcome) outcomes.set(delivery.outcome, (outcomes.get(delivery.outcome) ?? 0) + 1);
  const times = simulation.deliveries.map((d) => d.startedAt.getTime());
  const lines = [
    `simulate: sent ${simulation.deliveries.length} signed deliveries to ${base} (secret from ${from}; seed ${seed})`,
    `  ${byKind('post_call_transcription')} post_call_transcription  → POST /api/webhooks/elevenlabs`,
    `  ${byKind('call_summary')} call summaries           → POST /api/calls`,
    `  ${byKind('call_initiation_failure')} call_initiation_failure  → POST /api/webhooks/elevenlabs`,
    `  outcomes: ${[...outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`).join(', ')}`,
    times.length ? `  calls from ${new Date(Math.min(...times)).toISOString().slice(0, 16)}Z to ${new Date(Math.max(...times)).toISOString().slice(0, 16)}Z` : '  no calls',
    known
      ? `  ${simulation.people.length} people signed in as users (sub sim-…, e.g. ${simulation.people[0].externalId}); calls carry their user_id or phone number`
      : `  people: not signed in (no local JWT key the server accepts); calls are stored without a known user`,
    processing
      ? processing.pending
        ? `  still processing: ${processing.pending} deliveries pending after ${WAIT_FOR_PROCESSING_MS / 1000} s`
        : `  all deliveries processed${processing.failed ? `; ${processing.failed} failed (see /api/webhooks/events?status=failed)` : ''}`
      : '  processing runs in the background (no admin key here to check on it)',
    '',
    'Look at:',
    `  ${base}/admin                      the dashboard (sign in with the admin link \`npm start\` printed)`,
    `  ${base}/api/calls                  the calls (admin bearer token: npm run -s token -- --sub admin --name "Demo Admin" --role admin)`,
    `  ${base}/api/webhooks/events        every delivery and its processing status`,
    `  ${base}/api/conversations          sessions and transcripts`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (processing && (processing.pending || processing.failed)) process.exitCode = 1;
}

void main();
