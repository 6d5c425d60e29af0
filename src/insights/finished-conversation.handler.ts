import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeferredWrites } from '../database/deferred-writes.js';
import { queryPrepared } from '../database/prepared-query.js';
import type { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import type { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import type { User } from '../users/entities/user.entity.js';
import { transcriptLines } from '../webhooks/post-call-event.mapper.js';
import { type ConversationText, extractInsights, onboardingStep } from './insight-extraction.js';
import { OnboardingService } from './onboarding.service.js';
import { MARK_SNAPSHOTS_STALE_SQL, ProfileService, TRY_LOCK_PERSON_SQL } from './profile.service.js';

/** A call that just finished and was stored (summary row written, session ended). */
export interface FinishedConversation {
  summary: ConversationSummary;
  /** null for calls that came through POST /api/calls or were not started by us and had no session. */
  session: ConversationSession | null;
  user: User | null;
  /** The raw ElevenLabs conversation (`post_call_transcription` data), null for POST /api/calls. */
  conversation: Record<string, unknown> | null;
  /** The topics and sentiment of its summary and the person's turns, when webhook processing read them already. */
  read?: ConversationText['read'];
  source: ConversationSummary['source'];
  /** True when this pass created the summary row (no earlier pass can have stored insights for it). */
  firstTime?: boolean;
  /** The person whose lock this transaction already holds (taken with `personLockSql`). */
  lockedPersonId?: string | null;
  /** The processing batch's deferred writes: the insights are written with the batch's. */
  writes?: DeferredWrites | null;
}

/**
 * The hand-off from webhook processing to the insights module. Called inside the processing transaction
 * (`manager`): throwing fails the event, which is then retried; so implementations must be idempotent by
 * `summary.conversationId`.
 */
export interface FinishedConversationHandler {
  /**
   * SQL that takes the person's lock without waiting (a boolean expression of `userId`, an SQL expression; false:
   * another transaction holds it). Webhook processing evaluates it in the statement that matches the call, before
   * anything is written, so that waiting for another transaction that holds this person (a deferral) costs a
   * lookup, not a rolled-back transcript.
   */
  personLockSql?(userId: string): string;
  conversationFinished(finished: FinishedConversation, manager: EntityManager): Promise<void>;
}

export const FINISHED_CONVERSATION_HANDLER = Symbol('FINISHED_CONVERSATION_HANDLER');

/** Does nothing (specs that test webhook processing alone can provide it). */
@Injectable()
export class NoopFinishedConversationHandler implements FinishedConversationHandler {
  async conversationFinished(): Promise<void> {}
}

/**
 * Turns a finished call into the person's insights, in the processing transaction, in a fixed number of
 * statements whatever the call holds: the person's lock (unless the match took it with `personLockSql`), one
 * statement that replaces the conversation's extracted insights, opens or closes its action items and marks the
 * person's variable snapshot stale, and the onboarding step if any.
 */
@Injectable()
export class ExtractInsightsOnFinishedConversation implements FinishedConversationHandler {
  constructor(
    private readonly profiles: ProfileService,
    private readonly onboarding: OnboardingService,
  ) {}

  personLockSql(userId: string): string {
    return TRY_LOCK_PERSON_SQL(userId);
  }

  async conversationFinished(finished: FinishedConversation, manager: EntityManager): Promise<void> {
    const { summary, session, user } = finished;
    const userId = summary.userId ?? user?.id ?? null;
    const personLines = finished.conversation ? transcriptLines(finished.conversation).filter((line) => line.role === 'user').map((line) => line.message) : [];
    const extraction = extractInsights({ dataCollection: summary.dataCollection ?? {}, summary: summary.summary, personLines, read: finished.read });
    // Insights carry the conversation's time: stable across replays, and the order the profile reads.
    const at = summary.startedAt ?? summary.createdAt;
    const conversationId = summary.conversationId;

    if (!userId) {
      // An unmatched call has no person to learn about; drop what an earlier (matched) pass may have stored.
      if (finished.firstTime) return;
      await manager.query(`DELETE FROM user_insights WHERE conversation_id = $1 AND source IN ('data_collection', 'nlp')`, [conversationId]);
      return;
    }
    if (finished.lockedPersonId !== userId) await this.profiles.lockPersonOrDefer(userId, manager);
    const row: ExtractionRow = {
      conversationId,
      replaces: !finished.firstTime,
      userId,
      sessionId: session?.id ?? null,
      at: at.toISOString(),
      insights: extraction.insights.map((insight) => ({ type: insight.insightType, data: insight.insightData, source: insight.source })),
      items: extraction.actionItems.map((item) => ({ text: item.text.slice(0, 1000), normalized: item.normalizedText, status: item.status })),
    };
    if (finished.writes) finished.writes.add('user_insights', row, storeExtractions);
    else await storeExtractions([row], manager);
    const step = onboardingStep(session?.sessionType, extraction);
    if (step && user) await this.onboarding.advance(user, step, conversationId, manager);
  }
}

/** What one finished call adds to its person's insights. */
interface ExtractionRow {
  conversationId: string;
  /** An earlier pass over this conversation may have stored insights (this one did not create its summary). */
  replaces: boolean;
  userId: string;
  sessionId: string | null;
  at: string;
  insights: Array<{ type: string; data: unknown; source: string }>;
  items: Array<{ text: string; normalized: string; status: string }>;
}

/**
 * The extractions of one or more calls, in as few statements as it can: each conversation's extracted insights
 * replaced (so a replay never duplicates them), its action items stored (new items open, an item already known
 * is left as it is; items reported done close the matching open item, or are stored as done when never seen
 * before) and the people's snapshots marked stale. When an item is reported done, a statement holds one call per
 * person, in order, so that a later call of the same person closes the items of the earlier one (a statement does
 * not see its own rows); otherwise one statement holds them all (of two calls adding one item, the first keeps it).
 */
async function storeExtractions(rows: ExtractionRow[], manager: EntityManager): Promise<void> {
  const closesItems = rows.some((row) => row.items.some((item) => item.status === 'done'));
  const rounds: ExtractionRow[][] = [];
  const roundOf = new Map<string, number>();
  for (const row of rows) {
    const round = closesItems ? (roundOf.get(row.userId) ?? -1) + 1 : 0;
    roundOf.set(row.userId, round);
    (rounds[round] ??= []).push(row);
  }
  for (const round of rounds) {
    const values: unknown[] = [JSON.stringify(round)];
    const param = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
    const replaced = round.filter((row) => row.replaces).map((row) => row.conversationId);
    const done = round.flatMap((row) => row.items.filter((item) => item.status === 'done').map((item) => item.normalized));
    // Earlier insights are deleted, and done items closed, only for the calls that need it: a prepared statement
    // keeps the plan made while its tables were small, and a plan that scans them grows slower with them. The ids
    // are passed as arrays, so that the planner reads them by index rather than joining whole tables.
    const gone = replaced.length
      ? `gone AS (DELETE FROM user_insights WHERE conversation_id = ANY(${param(replaced, 'varchar[]')}) AND source IN ('data_collection', 'nlp')),`
      : '';
    const closed = done.length
      ? `closed AS (
         UPDATE action_items a SET status = 'done', done_at = i.at, updated_at = now()
         FROM items i WHERE a.user_id = ANY(${param(round.map((row) => row.userId), 'uuid[]')}) AND a.normalized_text = ANY(${param(done, 'varchar[]')})
           AND a.user_id = i."userId" AND a.normalized_text = i.normalized AND i.status = 'done' AND a.status = 'open'),`
      : '';
    await queryPrepared(
      manager,
      `WITH incoming AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS c("conversationId" varchar, "userId" uuid, "sessionId" uuid, at timestamptz, insights jsonb, items jsonb)),
       ${gone}
       insights AS (
         INSERT INTO user_insights (user_id, insight_type, insight_data, conversation_id, source, session_id, created_at)
         SELECT c."userId", r.type, r.data, c."conversationId", r.source, c."sessionId", c.at
         FROM incoming c CROSS JOIN LATERAL jsonb_to_recordset(c.insights) AS r(type varchar, data jsonb, source varchar)),
       items AS (
         SELECT c."userId", c."conversationId", c.at, i.text, i.normalized, i.status
         FROM incoming c CROSS JOIN LATERAL jsonb_to_recordset(c.items) AS i(text varchar, normalized varchar, status varchar)),
       ${closed}
       opened AS (
         INSERT INTO action_items (user_id, text, normalized_text, status, conversation_id, done_at, created_at, updated_at)
         SELECT i."userId", i.text, i.normalized, i.status, i."conversationId", CASE WHEN i.status = 'done' THEN i.at END, i.at, now() FROM items i
         ON CONFLICT (user_id, normalized_text) DO NOTHING),
       stale AS (${MARK_SNAPSHOTS_STALE_SQL('SELECT DISTINCT "userId" FROM incoming')})
       SELECT 1`,
      values,
    );
  }
}
