import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { eventually, freePort } from './support/server-process.js';
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

const root = join(import.meta.dirname, '..');

/**
 * The real server (dist/src/main.js) is SIGKILLed while signed deliveries arrive; after a restart every
 * delivery it answered 200 is processed exactly once.
 */
describe('webhooks survive a crash (e2e)', () => {
  let server: ChildProcess | undefined;
  let port: number;
  const db = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
  type Row = Record<string, unknown> & { n: number };

  const start = async () => {
    const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: process.env.DATABASE_URL,
        PORT: String(port),
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        ELEVENLABS_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        SCHEDULER_ENABLED: 'true',
        SCHEDULER_INTERVAL_MS: '200',
        RECONCILE_INTERVAL_MS: '86400000',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await eventually('the server to answer', async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok);
    return child;
  };

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    port = await freePort();
    await db.initialize();
  }, 120_000);
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.destroy();
  });

  it('processes every delivery answered 200 exactly once after a SIGKILL and restart', async () => {
    server = await start();
    const accepted: string[] = [];
    let sent = 0;
    let killed = false;
    const send = async (conversationId: string) => {
      const body = JSON.stringify(examplePostCallTranscription(conversationId));
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/elevenlabs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'elevenlabs-signature': signWebhook(body, TEST_WEBHOOK_SECRET) },
          body,
        });
        if (response.status === 200) accepted.push(conversationId);
      } catch {
        /* connection refused or reset: the server is down, the delivery was not answered */
      }
    };
    // Eight senders in parallel; the server is killed after 150 deliveries were sent, while others are in flight.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sent < 240) {
          sent += 1;
          if (sent === 150 && !killed) {
            killed = true;
            server!.kill('SIGKILL');
          }
          await send(`conv_crash_${randomUUID().replace(/-/g, '')}`);
        }
      }),
    );
    expect(killed).toBe(true);
    expect(accepted.length).toBeGreaterThan(50);
    if (server.exitCode === null && server.signalCode === null) await new Promise((resolve) => server!.once('exit', resolve));

    server = await start();
    await eventually('every accepted delivery to be processed', async () => {
      const rows: Row[] = await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key = ANY($1) AND status = 'processed'`, [accepted.map((id) => `post_call_transcription:${id}`)]);
      return rows[0].n === accepted.length;
    });

    const events: Row[] = await db.query(`SELECT dedupe_key, status, attempts FROM webhook_events WHERE dedupe_key = ANY($1)`, [accepted.map((id) => `post_call_transcription:${id}`)]);
    expect(events).toHaveLength(accepted.length);
    expect(events.every((row) => row.status === 'processed')).toBe(true);
    const summaries: Row[] = await db.query(`SELECT conversation_id, count(*)::int AS n FROM conversation_summaries WHERE conversation_id = ANY($1) GROUP BY conversation_id`, [accepted]);
    expect(summaries).toHaveLength(accepted.length);
    expect(summaries.every((row) => row.n === 1)).toBe(true);
    const activity: Row[] = await db.query(`SELECT data->>'conversationId' AS id, count(*)::int AS n FROM activity_events WHERE data->>'conversationId' = ANY($1) GROUP BY 1`, [accepted]);
    expect(activity).toHaveLength(accepted.length);
    expect(activity.every((row) => row.n === 1)).toBe(true);
  }, 120_000);
});
