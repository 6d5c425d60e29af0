import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { ConversationMessage } from '../../conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../../conversations/entities/conversation-session.entity.js';
import { toCallResponse } from '../../conversations/call.mapper.js';
import { ConversationSummary, type SummarySource } from '../../conversations/entities/conversation-summary.entity.js';
import { type RealtimeEvent, RealtimeEventsService } from '../../conversations/realtime-events.service.js';
import type { DeferredWrites } from '../../database/deferred-writes.js';
import { hydrate } from '../../database/hydrate.js';
import { LockBusyError } from '../../database/lock-busy.js';
import { queryPrepared } from '../../database/prepared-query.js';
import { upsertReturning } from '../../database/prepared-upsert.js';
import { ActivityService } from '../../dashboard/activity.service.js';
import { FINISHED_CONVERSATION_HANDLER, type FinishedConversationHandler } from '../../insights/finished-conversation.handler.js';
import { CALL_OUTCOME_HANDLER, type CallOutcomeHandler } from '../../scheduling/call-outcome.handler.js';
import { User } from '../../users/entities/user.entity.js';
import { toE164 } from '../../users/users.service.js';
import { CallTextReader } from '../call-text-reader.js';
import type { CallText, CallTextInput } from '../call-text.js';
import { isNewSummary } from './is-new-summary.js';
import { callerOf, collectedOutcome, dynamicVariablesOf, summaryFieldsOf, transcriptLines, transcriptSummary } from '../post-call-event.mapper.js';

type Json = Record<string, unknown>;
type TranscriptRow = { session: string; role: string; message: string; time: number | null; key: string };
/** One call's transcript lines; `fresh`: their session was created by this pass, so none of them can be stored yet. */
type Transcript = { fresh: boolean; rows: TranscriptRow[] };

/**
 * Transcript lines of one or more calls, one multi-row INSERT per kind: lines of a session created just now
 * plainly, the others skipping what is stored already (a replay inserts nothing new).
 */
async function insertTranscripts(transcripts: Transcript[], manager: EntityManager): Promise<void> {
  for (const fresh of [true, false]) {
    const rows = transcripts.filter((transcript) => transcript.fresh === fresh).flatMap((transcript) => transcript.rows);
    if (!rows.length) continue;
    await queryPrepared(
      manager,
      `INSERT INTO conversation_messages (session_id, role, message, time_in_call_secs, source, client_message_id)
       SELECT r.session, r.role, r.message, r.time, 'webhook', r.key
       FROM unnest($1::uuid[], $2::varchar[], $3::text[], $4::double precision[], $5::varchar[]) AS r(session, role, message, time, key)
       ${fresh ? '' : 'ON CONFLICT DO NOTHING'}`,
      [rows.map((row) => row.session), rows.map((row) => row.role), rows.map((row) => row.message), rows.map((row) => row.time), rows.map((row) => row.key)],
    );
  }
}

/** What wink-nlp reads of a call: its collected outcome, its summary and the caller's own turns. */
function callTextInput(data: Json, lines: ReturnType<typeof transcriptLines>): CallTextInput {
  return {
    rawOutcome: collectedOutcome(data),
    callSuccessful: (data.analysis as Json | undefined)?.call_successful,
    summary: transcriptSummary(data),
    callerLines: lines.filter((line) => line.role === 'user').map((line) => line.message),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionMatch {
  session: ConversationSession | null;
  /** The person: the session's user, or the one found without a session. */
  user: User | null;
  /** How the session (or, without one, the user) was found. */
  matchedBy: 'session_id' | 'elevenlabs_conversation_id' | 'call_attempt' | 'user_id' | 'phone' | null;
  /** Whether an outbound dial returned this conversation id (whatever matched first). */
  dialed: boolean;
}

/**
 * A finished ElevenLabs conversation (`post_call_transcription` data, from a webhook or the reconciler):
 * match its session, store the summary and the transcript, end the session, record an activity event and
 * hand it to insights and scheduling. Runs inside the processing transaction; idempotent by conversation id.
 */
@Injectable()
export class IngestPostCallEvent {
  constructor(
    private readonly clock: Clock,
    private readonly activity: ActivityService,
    private readonly realtime: RealtimeEventsService,
    @Inject(FINISHED_CONVERSATION_HANDLER) private readonly finished: FinishedConversationHandler,
    @Inject(CALL_OUTCOME_HANDLER) private readonly callOutcomes: CallOutcomeHandler,
    private readonly callText: CallTextReader,
  ) {}

  /**
   * The texts of several calls (a claimed batch's) sent to the text-analysis thread in one message, each answer
   * passed to `execute` later: one wake-up of the thread per batch instead of one per call.
   */
  readTexts(calls: Json[]): Array<Promise<CallText>> {
    const answers = this.callText.readAll(calls.map((data) => callTextInput(data, transcriptLines(data))));
    // Awaited by `execute`, or never when the batch fails before: not an unhandled rejection meanwhile.
    for (const answer of answers) answer.catch(() => undefined);
    return answers;
  }

  /**
   * With `writes` (webhook processing batches), the transcript, the realtime events and insights are written once
   * for the batch; `text` is the call's text already sent to be read (`readTexts`).
   */
  async execute(
    data: Json,
    source: Extract<SummarySource, 'webhook' | 'reconciler'>,
    manager: EntityManager,
    writes: DeferredWrites | null = null,
    text: Promise<CallText> | null = null,
  ): Promise<ConversationSummary> {
    const conversationId = typeof data.conversation_id === 'string' ? data.conversation_id : '';
    if (!conversationId) throw new Error('post_call_transcription without data.conversation_id');

    const match = await this.match(data, conversationId, manager);
    const personId = match.user?.id ?? match.session?.userId ?? null;
    const lines = transcriptLines(data);
    const fields = summaryFieldsOf(data);
    // A call we did not start gets its session written as already ended: nothing to update or de-duplicate after.
    const newSession = match.session ? null : this.sessionForUnknownCall(data, conversationId, match.user, this.endTimeOf(fields));
    const session = match.session ?? manager.create(ConversationSession, newSession ?? {});
    const user = match.user;
    if (!newSession && !session.elevenlabsConversationId) await this.linkConversation(session, conversationId, manager);

    const dynamicVariables = dynamicVariablesOf(data);
    const { analysis, read } = await (text ?? this.callText.read(callTextInput(data, lines)));
    const userName = user?.displayName || (typeof dynamicVariables.user_name === 'string' ? dynamicVariables.user_name : null) || analysis.callerName;

    const summary = await upsertReturning(
      manager,
      ConversationSummary,
      {
        ...fields,
        sessionId: session.id,
        roomId: session.roomId,
        userId: user?.id ?? null,
        userName: userName?.slice(0, 2000) ?? null,
        outcome: analysis.outcome,
        intent: analysis.intent,
        sentiment: analysis.sentiment,
        callerName: analysis.callerName,
        source,
      },
      'conversationId',
      // A call we did not start: its session is written by the same statement, just before its summary.
      newSession ? { target: ConversationSession, row: newSession } : undefined,
    );
    const firstTime = isNewSummary(summary);
    const announcements: RealtimeEvent[] = [];
    if (firstTime) announcements.push({ audience: 'admins', event: 'call_created', data: toCallResponse(summary) });

    await this.storeTranscript(session, conversationId, lines, !!newSession, manager, writes);
    if (!newSession) await this.endSession(session, fields, manager);

    announcements.push(
      await this.activity.recordQuietly(
        'call_completed',
        `Call finished: ${summary.title ?? userName ?? conversationId}`,
        { conversationId, sessionId: session.id, userId: user?.id ?? null, outcome: summary.outcome, source, matchedBy: match.matchedBy },
        manager,
        writes,
      ),
    );
    // The NOTIFYs are delivered when the processing transaction commits (with `writes`, after the activity row is written).
    if (writes) for (const announcement of announcements) writes.add('realtime_events', announcement, (all, m) => this.realtime.publishAll(all, m));
    else await this.realtime.publishAll(announcements, manager);
    await this.callOutcomes.callCompleted(conversationId, manager, { dynamicVariables, dialed: match.dialed });
    await this.finished.conversationFinished({ summary, session, user, conversation: data, read, source, firstTime, lockedPersonId: personId, writes }, manager);
    return summary;
  }

  private endTimeOf(fields: Partial<ConversationSummary>): Date {
    return fields.startedAt && fields.durationSecs !== null && fields.durationSecs !== undefined
      ? new Date(fields.startedAt.getTime() + fields.durationSecs * 1000)
      : this.clock.now();
  }

  /**
   * The design's order: session_id variable, ElevenLabs conversation id, an outbound dial's conversation id, user
   * id (external, else ours); then phone. One statement, which also takes the person's lock without waiting (so
   * that a person another batch holds costs this one round trip): LockBusyError when it is held.
   */
  async match(data: Json, conversationId: string, manager: EntityManager): Promise<SessionMatch> {
    const { sessionId, userIds, externalNumber } = callerOf(data);
    const person = 'COALESCE(u.id, s.user_id)';
    const lock = this.finished.personLockSql?.(person) ?? 'true';
    // Prepared: planning these lookups cost several times more than running them.
    const [found] = await queryPrepared<{ matchedBy: SessionMatch['matchedBy']; session: Record<string, unknown> | null; user: Record<string, unknown> | null; locked: boolean | null; dialed: boolean }>(
      manager,
      `WITH candidates AS (
         SELECT 1 AS rank, 'session_id' AS matched_by, s.id AS session, s.user_id AS person FROM conversation_sessions s WHERE s.session_id = $1
         UNION ALL SELECT 2, 'elevenlabs_conversation_id', s.id, s.user_id FROM conversation_sessions s WHERE s.elevenlabs_conversation_id = $2
         UNION ALL SELECT 3, 'call_attempt', NULL, d.person FROM (${this.callOutcomes.dialPersonSql('$2')}) AS d(person)
         UNION ALL SELECT 2 + 2 * c.n, 'user_id', NULL, u.id FROM unnest($3::varchar[]) WITH ORDINALITY AS c(external_id, n) JOIN users u ON u.external_id = c.external_id
         UNION ALL SELECT 3 + 2 * c.n, 'user_id', NULL, u.id FROM unnest($4::uuid[]) WITH ORDINALITY AS c(id, n) JOIN users u ON u.id = c.id
         UNION ALL (SELECT 100, 'phone', NULL, u.id FROM users u WHERE u.phone_number = $5 ORDER BY u.updated_at DESC LIMIT 1)),
       best AS (SELECT * FROM candidates ORDER BY rank LIMIT 1)
       SELECT best.matched_by AS "matchedBy", to_jsonb(s) AS "session", to_jsonb(u) AS "user", CASE WHEN ${person} IS NOT NULL THEN ${lock} END AS locked,
         EXISTS (${this.callOutcomes.dialPersonSql('$2')}) AS dialed
       FROM best LEFT JOIN conversation_sessions s ON s.id = best.session LEFT JOIN users u ON u.id = best.person`,
      [sessionId, conversationId, userIds, userIds.map((id) => (UUID.test(id) ? id : null)), toE164(externalNumber)],
    );
    if (!found) return { session: null, user: null, matchedBy: null, dialed: false };
    const user = found.user ? hydrate(manager, User, found.user) : null;
    if (found.locked === false) throw new LockBusyError(`the insights of person ${user?.id ?? String(found.session?.user_id)}`, true);
    return { session: found.session ? hydrate(manager, ConversationSession, found.session) : null, user, matchedBy: found.matchedBy, dialed: found.dialed };
  }

  /**
   * A call we did not start (inbound phone, the ElevenLabs dashboard …) still gets a session, so its transcript
   * is kept; it is over, so it is stored ended. Written by the summary's statement (`upsertReturning`'s `first`).
   */
  private sessionForUnknownCall(data: Json, conversationId: string, user: User | null, endedAt: Date): Partial<ConversationSession> {
    const metadata = (data.metadata ?? {}) as Json;
    const now = this.clock.now();
    return {
      id: randomUUID(),
      sessionId: randomUUID(),
      customCallId: randomUUID(),
      userId: user?.id ?? null,
      roomId: null,
      elevenlabsConversationId: conversationId,
      sessionType: 'coaching',
      channel: metadata.phone_call ? 'phone' : 'web',
      status: 'ended',
      metadata: { origin: 'post_call_webhook', agentId: data.agent_id ?? null },
      startedAt: typeof metadata.start_time_unix_secs === 'number' ? new Date(metadata.start_time_unix_secs * 1000) : now,
      endedAt,
      createdAt: now,
      updatedAt: now,
    };
  }

  private async linkConversation(session: ConversationSession, conversationId: string, manager: EntityManager): Promise<void> {
    const taken = await manager.findOneBy(ConversationSession, { elevenlabsConversationId: conversationId });
    if (taken) return;
    await manager.update(ConversationSession, { id: session.id }, { elevenlabsConversationId: conversationId });
    session.elevenlabsConversationId = conversationId;
  }

  /**
   * Transcript lines become messages (source webhook), except those the client already saved (same role and
   * text; a session created just now has none). Written with the batch's, or at once; a replay inserts nothing new.
   */
  private async storeTranscript(
    session: ConversationSession,
    conversationId: string,
    lines: ReturnType<typeof transcriptLines>,
    newSession: boolean,
    manager: EntityManager,
    writes: DeferredWrites | null,
  ): Promise<void> {
    if (!lines.length) return;
    const existing = newSession
      ? []
      : await manager.find(ConversationMessage, { where: { sessionId: session.id }, select: { role: true, message: true, source: true } });
    const normalise = (role: string, text: string) => `${role}\u0000${text.trim().replace(/\s+/g, ' ').toLowerCase()}`;
    const saved = new Map<string, number>();
    for (const message of existing) {
      if (message.source === 'webhook') continue;
      const key = normalise(message.role, message.message);
      saved.set(key, (saved.get(key) ?? 0) + 1);
    }
    const prefix = `wh:${createHash('sha1').update(conversationId).digest('hex').slice(0, 12)}`;
    const rows: TranscriptRow[] = [];
    lines.forEach((line, index) => {
      const key = normalise(line.role, line.message);
      const count = saved.get(key) ?? 0;
      if (count > 0) {
        saved.set(key, count - 1);
        return;
      }
      rows.push({ session: session.id, role: line.role, message: line.message, time: line.timeInCallSecs, key: `${prefix}:${index}` });
    });
    if (!rows.length) return;
    const transcript: Transcript = { fresh: newSession, rows };
    if (writes) writes.add('conversation_messages', transcript, insertTranscripts);
    else await insertTranscripts([transcript], manager);
  }

  private async endSession(session: ConversationSession, fields: Partial<ConversationSummary>, manager: EntityManager): Promise<void> {
    if (session.status !== 'active' && session.status !== 'expired') return;
    await manager.update(ConversationSession, { id: session.id }, { status: 'ended', endedAt: session.endedAt ?? this.endTimeOf(fields) });
  }
}
