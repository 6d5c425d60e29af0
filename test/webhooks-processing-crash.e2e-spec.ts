import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { examplePostCallTranscription } from './support/elevenlabs-examples.js';
import { type ServerProcess, buildIfNeeded, eventually, freePort, startServer } from './support/server-process.js';
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from './support/test-app.js';
import { signWebhook } from './support/webhook-signer.js';

const CALLS = 200;
const TURNS = 20;
const PEOPLE = 10;

type Row = Record<string, unknown> & { n: number };

/** A finished 20-turn call of a known person, with the data collection insights read. */
function finishedCall(conversationId: string, person: string) {
  const payload = examplePostCallTranscription(conversationId);
  const data = payload.data as Record<string, any>;
  data.user_id = person;
  data.transcript = Array.from({ length: TURNS }, (_, i) => ({
    role: i % 2 === 0 ? 'agent' : 'user',
    message: i % 2 === 0 ? `How did week ${i} go?` : `I slept better and ran twice, turn ${i} of ${conversationId}.`,
    time_in_call_secs: i * 5,
  }));
  const collected = (id: string, value: unknown) => ({ data_collection_id: id, value, rationale: 'crash spec' });
  data.analysis.data_collection_results = {
    goals: collected('goals', JSON.stringify(['Sleep seven hours'])),
    action_items: collected('action_items', JSON.stringify([`Plan the week of ${conversationId}`, 'Phone away at 10pm'])),
    mood: collected('mood', 'optimistic'),
  };
  return payload;
}

/**
 * The real server (dist/src/main.js) is SIGKILLed while stored events are being PROCESSED (some done, some not,
 * batches in flight); after a restart every event is processed exactly once: no duplicate messages, summaries,
 * insights, action items or activity.
 */
describe('webhooks survive a crash during processing (e2e)', () => {
  let server: ServerProcess | undefined;
  let port: number;
  const db = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
  const prefix = `pcrash${randomUUID().slice(0, 8)}`;
  const people = Array.from({ length: PEOPLE }, (_, i) => `${prefix}_person_${i}`);

  const start = async () => {
    const started = startServer({
      DATABASE_URL: process.env.DATABASE_URL!,
      PORT: String(port),
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      ELEVENLABS_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      // With the scheduler on, a server processes at start-up what a crash left pending (docs/webhooks.md).
      SCHEDULER_ENABLED: 'true',
      SCHEDULER_INTERVAL_MS: '200',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    });
    await eventually('the server to answer', async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; its output:\n${started.output()}`);
    });
    return started;
  };

  beforeAll(async () => {
    buildIfNeeded();
    port = await freePort();
    await db.initialize();
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await db.destroy();
  });

  it('processes every stored event exactly once after a SIGKILL in the middle of processing', async () => {
    server = await start();
    await db.query(`INSERT INTO users (external_id, display_name) SELECT unnest($1::text[]), 'Crash Person'`, [people]);
    const ids = Array.from({ length: CALLS }, (_, i) => `conv_${prefix}_${String(i).padStart(4, '0')}`);
    const keys = ids.map((id) => `post_call_transcription:${id}`);
    for (let i = 0; i < ids.length; i += 25) {
      const statuses = await Promise.all(
        ids.slice(i, i + 25).map(async (id, j) => {
          const body = JSON.stringify(finishedCall(id, people[(i + j) % PEOPLE]));
          const response = await fetch(`http://127.0.0.1:${port}/api/webhooks/elevenlabs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'elevenlabs-signature': signWebhook(body, TEST_WEBHOOK_SECRET) },
            body,
          });
          return response.status;
        }),
      );
      expect(statuses).toEqual(statuses.map(() => 200));
    }
    const processed = async () => ((await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key = ANY($1) AND status = 'processed'`, [keys])) as Row[])[0].n;

    // Kill once processing is under way but not finished: claimed batches are in flight.
    const poll = async () => {
      for (;;) {
        const done = await processed();
        if (done > 0) return done;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await poll();
    server.child.kill('SIGKILL');
    await server.exited;
    const atKill = await processed();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(CALLS);

    server = await start();
    await eventually('every stored event to be processed', async () => (await processed()) === CALLS, 90_000).catch(async (error: Error) => {
      const states = await db.query(`SELECT status, attempts, left(error, 300) AS error, count(*)::int AS n FROM webhook_events WHERE dedupe_key = ANY($1) GROUP BY 1, 2, 3`, [keys]);
      throw new Error(`${error.message}: ${JSON.stringify(states)}`);
    });

    const perConversation = async (sql: string) => (await db.query(sql, [ids])) as Row[];
    const summaries = await perConversation(`SELECT conversation_id, count(*)::int AS n FROM conversation_summaries WHERE conversation_id = ANY($1) GROUP BY 1`);
    expect(summaries).toHaveLength(CALLS);
    expect(summaries.filter((row) => row.n !== 1)).toEqual([]);
    const messages = await perConversation(
      `SELECT s.elevenlabs_conversation_id, count(m.id)::int AS n FROM conversation_sessions s JOIN conversation_messages m ON m.session_id = s.id
        WHERE s.elevenlabs_conversation_id = ANY($1) GROUP BY 1`,
    );
    expect(messages).toHaveLength(CALLS);
    expect(messages.filter((row) => row.n !== TURNS)).toEqual([]);
    // Every insight row of a conversation once (same type and value never twice), goals and action items present.
    const duplicateInsights = await perConversation(
      `SELECT conversation_id, insight_type, count(*)::int AS n FROM user_insights WHERE conversation_id = ANY($1) GROUP BY conversation_id, insight_type, insight_data HAVING count(*) > 1`,
    );
    expect(duplicateInsights).toEqual([]);
    const withGoals = await perConversation(`SELECT count(DISTINCT conversation_id)::int AS n FROM user_insights WHERE conversation_id = ANY($1) AND insight_type = 'goals'`);
    expect(withGoals[0].n).toBe(CALLS);
    // Action items: one per conversation-specific text, and the item every call repeats opened once per person.
    const planItems = await perConversation(`SELECT count(*)::int AS n FROM action_items WHERE conversation_id = ANY($1) AND normalized_text LIKE 'plan the week of %'`);
    expect(planItems[0].n).toBe(CALLS);
    const repeated: Row[] = await db.query(
      `SELECT u.external_id, count(a.id)::int AS n FROM action_items a JOIN users u ON u.id = a.user_id WHERE u.external_id = ANY($1) AND a.normalized_text LIKE 'phone away%' GROUP BY 1`,
      [people],
    );
    expect(repeated).toHaveLength(PEOPLE);
    expect(repeated.filter((row) => row.n !== 1)).toEqual([]);
    const activity = await perConversation(`SELECT data->>'conversationId' AS id, type, count(*)::int AS n FROM activity_events WHERE data->>'conversationId' = ANY($1) GROUP BY 1, 2`);
    expect(activity.filter((row) => row.n !== 1)).toEqual([]);
    expect(new Set(activity.filter((row) => row.type === 'call_completed').map((row) => row.id)).size).toBe(CALLS);
  }, 240_000);
});
