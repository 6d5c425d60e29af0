import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { ConversationMessage } from '../../conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../../conversations/entities/conversation-session.entity.js';
import { toCallResponse } from '../../conversations/call.mapper.js';
import { ConversationSummary, type SummarySource } from '../../conversations/entities/conversation-summary.entity.js';
import { RealtimeEventsService } from '../../conversations/realtime-events.service.js';
import { ActivityService } from '../../dashboard/activity.service.js';
import { FINISHED_CONVERSATION_HANDLER, type FinishedConversationHandler } from '../../insights/finished-conversation.handler.js';
import { CALL_OUTCOME_HANDLER, type CallOutcomeHandler } from '../../scheduling/call-outcome.handler.js';
import { User } from '../../users/entities/user.entity.js';
import { toE164 } from '../../users/users.service.js';
import { analyseCall } from '../call-analysis.js';
import { isNewSummary } from './is-new-summary.js';
import { collectedOutcome, dynamicVariablesOf, phoneNumbers, summaryFieldsOf, transcriptLines } from '../post-call-event.mapper.js';

type Json = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionMatch {
  session: ConversationSession | null;
  user: User | null;
  /** How the session (or, without one, the user) was found. */
  matchedBy: 'session_id' | 'elevenlabs_conversation_id' | 'call_attempt' | 'user_id' | 'phone' | null;
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
  ) {}

  async execute(data: Json, source: Extract<SummarySource, 'webhook' | 'reconciler'>, manager: EntityManager): Promise<ConversationSummary> {
    const conversationId = typeof data.conversation_id === 'string' ? data.conversation_id : '';
    if (!conversationId) throw new Error('post_call_transcription without data.conversation_id');

    const match = await this.match(data, conversationId, manager);
    const session = match.session ?? (await this.createSessionForUnknownCall(data, conversationId, match.user, manager));
    const user = match.user ?? (session.userId ? await manager.findOneBy(User, { id: session.userId }) : null);
    if (!session.elevenlabsConversationId) await this.linkConversation(session, conversationId, manager);

    const lines = transcriptLines(data);
    const fields = summaryFieldsOf(data);
    const dynamicVariables = dynamicVariablesOf(data);
    const analysis = analyseCall({
      rawOutcome: collectedOutcome(data),
      callSuccessful: (data.analysis as Json | undefined)?.call_successful,
      summary: fields.summary,
      callerLines: lines.filter((line) => line.role === 'user').map((line) => line.message),
    });
    const userName = user?.displayName || (typeof dynamicVariables.user_name === 'string' ? dynamicVariables.user_name : null) || analysis.callerName;

    const summaries = manager.getRepository(ConversationSummary);
    await summaries.upsert(
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
      } as QueryDeepPartialEntity<ConversationSummary>,
      { conflictPaths: ['conversationId'] },
    );
    const summary = await summaries.findOneByOrFail({ conversationId });
    if (isNewSummary(summary)) await this.realtime.toAdmins('call_created', toCallResponse(summary), manager);

    await this.storeTranscript(session, conversationId, lines, manager);
    await this.endSession(session, fields, manager);

    await this.activity.record(
      'call_completed',
      `Call finished: ${summary.title ?? userName ?? conversationId}`,
      { conversationId, sessionId: session.id, userId: user?.id ?? null, outcome: summary.outcome, source, matchedBy: match.matchedBy },
      manager,
    );
    await this.callOutcomes.callCompleted(conversationId, manager, { dynamicVariables });
    await this.finished.conversationFinished({ summary, session, user, conversation: data, source }, manager);
    return summary;
  }

  /** The design's order: session_id variable, ElevenLabs conversation id, an outbound dial's conversation id, user id; then phone. */
  async match(data: Json, conversationId: string, manager: EntityManager): Promise<SessionMatch> {
    const sessions = manager.getRepository(ConversationSession);
    const variables = dynamicVariablesOf(data);

    const sessionId = typeof variables.session_id === 'string' ? variables.session_id : null;
    if (sessionId) {
      const session = await sessions.findOneBy({ sessionId });
      if (session) return { session, user: null, matchedBy: 'session_id' };
    }
    const byConversation = await sessions.findOneBy({ elevenlabsConversationId: conversationId });
    if (byConversation) return { session: byConversation, user: null, matchedBy: 'elevenlabs_conversation_id' };

    const dial = await this.callOutcomes.findDial(conversationId, manager);
    if (dial) {
      const user = dial.userId ? await manager.findOneBy(User, { id: dial.userId }) : null;
      return { session: null, user, matchedBy: 'call_attempt' };
    }

    const clientData = (data.conversation_initiation_client_data ?? {}) as Json;
    for (const candidate of [data.user_id, variables.user_id, clientData.user_id]) {
      if (typeof candidate !== 'string' || !candidate.trim()) continue;
      const user =
        (await manager.findOneBy(User, { externalId: candidate })) ?? (UUID.test(candidate) ? await manager.findOneBy(User, { id: candidate }) : null);
      if (user) return { session: null, user, matchedBy: 'user_id' };
    }

    const phone = toE164(phoneNumbers(data).externalNumber);
    if (phone) {
      const user = await manager.findOne(User, { where: { phoneNumber: phone }, order: { updatedAt: 'DESC' } });
      if (user) return { session: null, user, matchedBy: 'phone' };
    }
    return { session: null, user: null, matchedBy: null };
  }

  /** A call we did not start (inbound phone, the ElevenLabs dashboard …) still gets a session, so its transcript is kept. */
  private createSessionForUnknownCall(data: Json, conversationId: string, user: User | null, manager: EntityManager): Promise<ConversationSession> {
    const metadata = (data.metadata ?? {}) as Json;
    const start = typeof metadata.start_time_unix_secs === 'number' ? new Date(metadata.start_time_unix_secs * 1000) : this.clock.now();
    const sessions = manager.getRepository(ConversationSession);
    return sessions.save(
      sessions.create({
        sessionId: randomUUID(),
        customCallId: randomUUID(),
        userId: user?.id ?? null,
        roomId: null,
        elevenlabsConversationId: conversationId,
        channel: metadata.phone_call ? 'phone' : 'web',
        status: 'active',
        metadata: { origin: 'post_call_webhook', agentId: data.agent_id ?? null },
        startedAt: start,
      }),
    );
  }

  private async linkConversation(session: ConversationSession, conversationId: string, manager: EntityManager): Promise<void> {
    const taken = await manager.findOneBy(ConversationSession, { elevenlabsConversationId: conversationId });
    if (taken) return;
    await manager.update(ConversationSession, { id: session.id }, { elevenlabsConversationId: conversationId });
    session.elevenlabsConversationId = conversationId;
  }

  /** Transcript lines become messages (source webhook), except those the client already saved (same role and text). */
  private async storeTranscript(session: ConversationSession, conversationId: string, lines: ReturnType<typeof transcriptLines>, manager: EntityManager): Promise<void> {
    if (!lines.length) return;
    const existing = await manager.find(ConversationMessage, { where: { sessionId: session.id }, select: { role: true, message: true, source: true } });
    const normalise = (role: string, text: string) => `${role}\u0000${text.trim().replace(/\s+/g, ' ').toLowerCase()}`;
    const saved = new Map<string, number>();
    for (const message of existing) {
      if (message.source === 'webhook') continue;
      const key = normalise(message.role, message.message);
      saved.set(key, (saved.get(key) ?? 0) + 1);
    }
    const prefix = `wh:${createHash('sha1').update(conversationId).digest('hex').slice(0, 12)}`;
    const rows: Array<QueryDeepPartialEntity<ConversationMessage>> = [];
    lines.forEach((line, index) => {
      const key = normalise(line.role, line.message);
      const count = saved.get(key) ?? 0;
      if (count > 0) {
        saved.set(key, count - 1);
        return;
      }
      rows.push({ sessionId: session.id, role: line.role, message: line.message, timeInCallSecs: line.timeInCallSecs, source: 'webhook', clientMessageId: `${prefix}:${index}` });
    });
    if (rows.length) await manager.createQueryBuilder().insert().into(ConversationMessage).values(rows).orIgnore().execute();
  }

  private async endSession(session: ConversationSession, fields: Partial<ConversationSummary>, manager: EntityManager): Promise<void> {
    if (session.status !== 'active' && session.status !== 'expired') return;
    const endedAt = fields.startedAt && fields.durationSecs !== null && fields.durationSecs !== undefined
      ? new Date(fields.startedAt.getTime() + fields.durationSecs * 1000)
      : this.clock.now();
    await manager.update(ConversationSession, { id: session.id }, { status: 'ended', endedAt: session.endedAt ?? endedAt });
  }
}
