import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ElevenLabsService } from '../../elevenlabs/elevenlabs.service.js';
import { callerHashFor, dedupeKeyFor } from '../dedupe-key.js';
import { WebhookEventProcessor } from '../webhook-event.processor.js';

/** settings row holding the watermark: `{ agents: { <agent id>: <start time, unix s> } }`. */
export const RECONCILER_SETTING_KEY = 'reconciler';
/** Arbitrary constant for pg_try_advisory_lock: one reconciler at a time across instances. */
export const RECONCILER_LOCK_KEY = 727_001;
/** First run (no watermark yet): look back this far. */
export const INITIAL_LOOKBACK_SECONDS = 24 * 3600;
const FINISHED = new Set(['done', 'failed']);
const MAX_PAGES = 50;

export interface ReconcileResult {
  skipped: boolean;
  agents: string[];
  listed: number;
  recovered: string[];
}

/**
 * ElevenLabs does not retry webhooks by default, so every RECONCILE_INTERVAL_MS this lists the agents'
 * conversations since the stored watermark and stores every finished one we have no summary (or stored
 * delivery) for, as a `post_call_transcription` event with source `reconciler`; the processor then
 * handles it exactly like the webhook. Runs under a PostgreSQL advisory lock.
 */
@Injectable()
export class ReconcileMissedConversations {
  private readonly logger = new Logger(ReconcileMissedConversations.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly elevenlabs: ElevenLabsService,
    private readonly processor: WebhookEventProcessor,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<ReconcileResult> {
    if (!this.elevenlabs.isConfigured) return { skipped: true, agents: [], listed: 0, recovered: [] };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RECONCILER_LOCK_KEY]);
      if (!locked) return { skipped: true, agents: [], listed: 0, recovered: [] };
      try {
        return await this.reconcile();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RECONCILER_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async reconcile(): Promise<ReconcileResult> {
    const agents = await this.agentIds();
    const watermarks = await this.readWatermarks();
    const nowSecs = Math.floor(this.clock.nowMs() / 1000);
    const result: ReconcileResult = { skipped: false, agents, listed: 0, recovered: [] };

    for (const agentId of agents) {
      const since = watermarks[agentId] ?? nowSecs - INITIAL_LOOKBACK_SECONDS;
      // The next watermark: the start of the oldest conversation still running, else the newest start seen.
      let oldestUnfinished: number | null = null;
      let newestSeen = since;
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const list = await this.elevenlabs.listConversations({ agentId, cursor, pageSize: 100, callStartAfterUnix: since });
        result.listed += list.conversations.length;
        const finished: string[] = [];
        for (const item of list.conversations) {
          newestSeen = Math.max(newestSeen, item.startTimeUnixSecs);
          if (FINISHED.has(item.status)) finished.push(item.conversationId);
          else oldestUnfinished = Math.min(oldestUnfinished ?? item.startTimeUnixSecs, item.startTimeUnixSecs);
        }
        const known = await this.knownConversationIds(finished);
        for (const conversationId of finished) {
          if (!known.has(conversationId) && (await this.recover(conversationId))) result.recovered.push(conversationId);
        }
        if (!list.hasMore || !list.nextCursor) break;
        cursor = list.nextCursor;
      }
      watermarks[agentId] = oldestUnfinished ?? newestSeen;
    }
    await this.dataSource.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [RECONCILER_SETTING_KEY, JSON.stringify({ agents: watermarks })],
    );
    if (result.recovered.length) {
      this.logger.log(`reconciler recovered ${result.recovered.length} conversation(s) whose webhook never came`);
      this.processor.nudge();
    }
    return result;
  }

  /** Of these conversations, those that already have a summary or a stored delivery (one query per page). */
  private async knownConversationIds(conversationIds: string[]): Promise<Set<string>> {
    if (!conversationIds.length) return new Set();
    const dedupeKeys = conversationIds.map((id) => dedupeKeyFor('post_call_transcription', id, ''));
    const rows: Array<{ conversation_id: string }> = await this.dataSource.query(
      `SELECT conversation_id FROM conversation_summaries WHERE conversation_id = ANY($1)
       UNION SELECT ids.conversation_id FROM unnest($1::varchar[], $2::varchar[]) AS ids(conversation_id, dedupe_key)
         JOIN webhook_events event ON event.dedupe_key = ids.dedupe_key`,
      [conversationIds, dedupeKeys],
    );
    return new Set(rows.map((row) => row.conversation_id));
  }

  /** Fetches and stores one finished conversation (the insert is idempotent by dedupe key). */
  private async recover(conversationId: string): Promise<boolean> {
    const dedupeKey = dedupeKeyFor('post_call_transcription', conversationId, '');
    const data = await this.elevenlabs.getConversation(conversationId);
    if (!FINISHED.has(data.status)) return false;
    const now = this.clock.now();
    const payload = { type: 'post_call_transcription', event_timestamp: Math.floor(now.getTime() / 1000), data };
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO webhook_events (event_type, dedupe_key, source, payload, status, received_at, next_attempt_at, caller_hash)
       VALUES ('post_call_transcription', $1, 'reconciler', $2::jsonb, 'pending', $3, $3, $4)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [dedupeKey, JSON.stringify(payload), now, callerHashFor('post_call_transcription', data as unknown as Record<string, unknown>, dedupeKey)],
    );
    return rows.length > 0;
  }

  /** The default agent, the one in settings, and every room's agent. */
  private async agentIds(): Promise<string[]> {
    const rows: Array<{ agent_id: string | null }> = await this.dataSource.query(
      `SELECT DISTINCT agent_id FROM rooms WHERE agent_id IS NOT NULL
       UNION SELECT value->>'agent_id' FROM settings WHERE key = 'agent' AND value->>'agent_id' IS NOT NULL`,
    );
    const ids = new Set<string>(rows.map((row) => row.agent_id).filter((id): id is string => Boolean(id)));
    if (this.config.elevenlabs.agentId) ids.add(this.config.elevenlabs.agentId);
    return [...ids].sort();
  }

  private async readWatermarks(): Promise<Record<string, number>> {
    const rows: Array<{ value: { agents?: Record<string, number> } }> = await this.dataSource.query(`SELECT value FROM settings WHERE key = $1`, [RECONCILER_SETTING_KEY]);
    return { ...(rows[0]?.value?.agents ?? {}) };
  }
}
