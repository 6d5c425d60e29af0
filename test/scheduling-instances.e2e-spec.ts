import { DataSource } from 'typeorm';
import { FakeElevenLabs } from './support/fake-elevenlabs.js';
import { type ServerProcess, buildIfNeeded, eventually, freePort, startServer } from './support/server-process.js';
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from './support/test-app.js';

const TASKS = 500;

/**
 * Two real server processes (dist/src/main.js) on one PostgreSQL, both dispatching, one fake ElevenLabs:
 * every due callback is dialled exactly once.
 */
describe('scheduling with two instances (e2e)', () => {
  const db = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
  const fake = new FakeElevenLabs();
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    buildIfNeeded();
    await Promise.all([db.initialize(), fake.start()]);
    fake.delayMs = 20; // dials overlap, so both instances claim while the other holds rows
    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      const server = startServer({
        DATABASE_URL: process.env.DATABASE_URL!,
        PORT: String(port),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        ELEVENLABS_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        ELEVENLABS_API_KEY: fake.apiKey,
        ELEVENLABS_API_BASE_URL: fake.url,
        ELEVENLABS_AGENT_ID: 'agent_test',
        ELEVENLABS_PHONE_NUMBER_ID: 'phnum_test',
        SCHEDULER_ENABLED: 'true',
        SCHEDULER_INTERVAL_MS: '100',
        RECONCILE_INTERVAL_MS: '86400000',
        OUTBOUND_CONCURRENCY: '8',
        CALL_WINDOW: '00:00-24:00',
      });
      servers.push(server);
      await eventually('a server to answer', async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}; its output:\n${server.output()}`);
      });
    }
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    await fake.stop();
    await db.destroy();
  });

  it(`${TASKS} due callbacks: exactly ${TASKS} outbound-call requests, one per task, and ${TASKS} attempt rows`, async () => {
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO callback_tasks (phone_number, reason, due_at, next_attempt_at, max_attempts)
       SELECT '+14155550123', 'two instances #' || n, now() - interval '1 second', now() - interval '1 second', 3 FROM generate_series(1, $1) AS n
       RETURNING id`,
      [TASKS],
    );
    const ids = rows.map((row) => row.id);
    const ours = new Set(ids);
    await eventually(
      'every task to be in progress',
      async () => {
        const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM callback_tasks WHERE id = ANY($1) AND status = 'in_progress'`, [ids]);
        return count === TASKS;
      },
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate dial, if any, would arrive now

    const dialled = fake
      .requestsTo(/^POST \/v1\/convai\/twilio\/outbound-call$/)
      .map((r) => ((r.body as any)?.conversation_initiation_client_data?.dynamic_variables?.task_id as string | undefined) ?? '')
      .filter((taskId) => ours.has(taskId));
    expect(dialled).toHaveLength(TASKS);
    expect(new Set(dialled).size).toBe(TASKS);

    const [{ attempts, tasks, numbers }] = await db.query(
      `SELECT count(*)::int AS attempts, count(DISTINCT task_id)::int AS tasks, max(attempt_no)::int AS numbers FROM call_attempts WHERE task_id = ANY($1)`,
      [ids],
    );
    expect({ attempts, tasks, numbers }).toEqual({ attempts: TASKS, tasks: TASKS, numbers: 1 });
    const linked = await db.query(`SELECT count(*)::int AS count FROM callback_tasks t JOIN call_attempts a ON a.task_id = t.id AND a.conversation_id = t.conversation_id WHERE t.id = ANY($1)`, [ids]);
    expect(linked[0].count).toBe(TASKS);
  }, 180_000);
});
