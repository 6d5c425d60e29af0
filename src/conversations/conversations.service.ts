import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type FindOptionsWhere, QueryFailedError, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { Clock } from '../clock/clock.js';
import { ElevenLabsService } from '../elevenlabs/elevenlabs.service.js';
import { type Page, fetchPage } from '../http/page-cursor.js';
import { PersonalisationService, type PersonalisationVariables } from '../insights/personalisation.service.js';
import type { Room } from '../rooms/entities/room.entity.js';
import { RoomInactiveError, RoomNotFoundError } from '../rooms/rooms.errors.js';
import { RoomsService } from '../rooms/rooms.service.js';
import { ToolTokenService } from '../tools/tool-token.service.js';
import type { User } from '../users/entities/user.entity.js';
import { type ConversationResponse, toConversationResponse, toMessageResponse, toSummaryResponse } from './conversation.mapper.js';
import { ConversationNotActiveError, ConversationNotFoundError, ElevenLabsIdConflictError } from './conversations.errors.js';
import type { AddMessagesDto, ListConversationsQuery, StartConversationDto } from './dto/conversation.dto.js';
import { ConversationMessage } from './entities/conversation-message.entity.js';
import { type ConversationSession, ConversationSession as SessionEntity, type SessionChannel } from './entities/conversation-session.entity.js';
import { ConversationSummary } from './entities/conversation-summary.entity.js';
import { RealtimeEventsService } from './realtime-events.service.js';

/** An active session in the same room younger than this is resumed by POST /api/conversations. */
export const RESUME_WINDOW_MS = 30 * 60 * 1000;
/** Sessions active for longer are expired by the scheduled job (and no longer validate). */
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000;

const UNIQUE_VIOLATION = '23505';

/**
 * The personalisation queries need only the person, so they run beside the room and agent lookups (`lookups`
 * checks them, then starts the signed URL and resume reads). On any failure the answer waits until every query
 * has ended: none is left running after the response (nor cut off by a shutdown that follows it).
 */
async function besidePersonalisation<R, S, C, A>(
  variablesPending: Promise<PersonalisationVariables>,
  lookups: () => Promise<readonly [Promise<S>, Promise<R>, C, A]>,
): Promise<[S, PersonalisationVariables, R, C, A]> {
  const started: Array<Promise<unknown>> = [variablesPending];
  try {
    const [signedUrl, resumable, room, agentId] = await lookups();
    started.push(signedUrl, resumable);
    const [url, variables, resumed] = await Promise.all([signedUrl, variablesPending, resumable]);
    return [url, variables, resumed, room, agentId];
  } catch (error) {
    await Promise.allSettled(started);
    throw error;
  }
}

/** The widget's dynamic variables: all personalisation variables plus the session's own. */
export type DynamicVariables = PersonalisationVariables & { session_id: string; room_id: string; secret__tool_token: string };

export interface StartedConversation {
  conversationId: string;
  sessionId: string;
  customCallId: string;
  signedUrl: string;
  dynamicVariables: DynamicVariables;
  isResumed: boolean;
  messageCount: number;
}

export interface RoomPageSession {
  session: ConversationSession;
  agentId: string;
  /** Only for rooms whose agent requires auth; the page then renders `signed-url` and no `agent-id`. */
  signedUrl: string | null;
  dynamicVariables: DynamicVariables;
}

@Injectable()
export class ConversationsService {
  private readonly logger = new Logger(ConversationsService.name);

  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<ConversationSession>,
    @InjectRepository(ConversationMessage) private readonly messages: Repository<ConversationMessage>,
    @InjectRepository(ConversationSummary) private readonly summaries: Repository<ConversationSummary>,
    private readonly rooms: RoomsService,
    private readonly elevenlabs: ElevenLabsService,
    private readonly personalisation: PersonalisationService,
    private readonly toolTokens: ToolTokenService,
    private readonly realtime: RealtimeEventsService,
    private readonly clock: Clock,
  ) {}

  /**
   * POST /api/conversations (and the WebSocket `conversation_start`). Resumes the person's active session in
   * the same room when younger than 30 minutes. The signed URL is fetched before anything is stored, so an
   * ElevenLabs failure leaves no half-created session.
   */
  async start(user: User, dto: StartConversationDto, options: { notify?: boolean } = {}): Promise<StartedConversation> {
    const [signedUrl, variables, resumable, room, agentId] = await besidePersonalisation(this.personalisation.variablesFor(user), async () => {
      const room = dto.roomId ? await this.rooms.findById(dto.roomId) : null;
      if (dto.roomId && !room) throw new RoomNotFoundError(`with id ${dto.roomId}`);
      if (room && !room.isActive) throw new RoomInactiveError(room.slug);
      const agentId = await this.rooms.resolveAgentId(room, dto.agentId);
      return [this.elevenlabs.getSignedUrl(agentId), room ? this.findResumable(user.id, room.id, agentId) : Promise.resolve(null), room, agentId] as const;
    });

    if (resumable) {
      const messageCount = await this.messages.countBy({ sessionId: resumable.id });
      if (options.notify !== false) this.announceStart(resumable, room, true, messageCount);
      return this.started(resumable, room, user, variables, signedUrl, true, messageCount);
    }
    const session = await this.createSession(user, room, agentId, {
      channel: 'web',
      sessionType: dto.sessionType ?? room?.kind ?? 'coaching',
      metadata: dto.metadata ?? {},
    });
    if (options.notify !== false) this.announceStart(session, room, false, 0);
    return this.started(session, room, user, variables, signedUrl, false, 0);
  }

  /**
   * An inbound phone call of a known person (the conversation-init webhook): a session of its own, so the
   * post-call webhook matches it by `session_id` and the agent's tools get a `secret__tool_token` on the phone too
   * (ElevenLabs refuses to start a call whose tools reference a variable it was not given).
   */
  async openPhoneSession(user: User, agentId: string | null, metadata: Record<string, unknown>): Promise<{ session_id: string; secret__tool_token: string }> {
    const session = await this.createSession(user, null, agentId, { channel: 'phone', sessionType: user.onboardingPhase, metadata });
    this.announceStart(session, null, false, 0);
    return { session_id: session.sessionId, secret__tool_token: this.toolTokens.sign(user.id, session.id) };
  }

  /** GET /rooms/:slug: a fresh session per page view. Unknown or inactive rooms are 404 for the page. */
  async openRoomPage(user: User, slug: string): Promise<{ room: Room } & RoomPageSession> {
    const [signedUrl, variables, , room, agentId] = await besidePersonalisation(this.personalisation.variablesFor(user), async () => {
      const room = await this.rooms.findBySlug(slug);
      if (!room || !room.isActive) throw new RoomNotFoundError(`"${slug}"`);
      const agentId = await this.rooms.resolveAgentId(room);
      return [room.requiresAuth ? this.elevenlabs.getSignedUrl(agentId) : Promise.resolve(null), Promise.resolve(null), room, agentId] as const;
    });
    const session = await this.createSession(user, room, agentId, { channel: 'web', sessionType: room.kind, metadata: { source: 'room_page' } });
    this.announceStart(session, room, false, 0);
    return { room, session, agentId, signedUrl, dynamicVariables: this.dynamicVariables(session, room, user, variables) };
  }

  list(user: User, query: ListConversationsQuery): Promise<Page<ConversationResponse>> {
    const builder = this.sessions.createQueryBuilder('session').leftJoinAndSelect('session.room', 'room');
    // A person sees their own conversations only; the userId filter is for admins.
    const userId = user.role === 'admin' ? query.userId : user.id;
    if (userId) builder.andWhere('session.user_id = :userId', { userId });
    if (query.roomId) builder.andWhere('session.room_id = :roomId', { roomId: query.roomId });
    if (query.status) builder.andWhere('session.status = :status', { status: query.status });
    if (query.from) builder.andWhere('session.started_at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('session.started_at < :to', { to: new Date(query.to) });
    return fetchPage(builder, { timeColumn: 'started_at', timeOf: (s) => s.startedAt }, query, (s) => toConversationResponse(s));
  }

  /** The person's most recent sessions (home page). */
  async recentFor(userId: string, limit: number): Promise<ConversationResponse[]> {
    const rows = await this.sessions.find({ where: { userId }, relations: { room: true }, order: { startedAt: 'DESC', id: 'DESC' }, take: limit });
    return rows.map((s) => toConversationResponse(s));
  }

  async get(user: User, id: string) {
    const session = await this.findOwned(user, id, true);
    const [messages, summary] = await Promise.all([
      this.messages.find({ where: { sessionId: session.id }, order: { timeInCallSecs: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC' } }),
      this.findSummary(session),
    ]);
    return {
      ...toConversationResponse(session),
      messageCount: messages.length,
      messages: messages.map(toMessageResponse),
      summary: summary ? toSummaryResponse(summary) : null,
    };
  }

  async freshSignedUrl(user: User, id: string): Promise<{ conversationId: string; signedUrl: string }> {
    const session = await this.findOwned(user, id);
    this.assertLive(session);
    const agentId = session.agentId ?? (await this.rooms.resolveAgentId(null));
    return { conversationId: session.id, signedUrl: await this.elevenlabs.getSignedUrl(agentId) };
  }

  async validate(user: User, id: string) {
    const session = await this.findOwned(user, id);
    const expiresAt = new Date(session.startedAt.getTime() + SESSION_TTL_MS);
    const expired = session.status === 'expired' || (session.status === 'active' && this.clock.nowMs() >= expiresAt.getTime());
    const valid = session.status === 'active' && !expired;
    return {
      conversationId: session.id,
      valid,
      status: expired ? 'expired' : session.status,
      expiresAt: expiresAt.toISOString(),
      reason: valid ? null : expired ? 'the session is older than 2 hours' : `the session is ${session.status}`,
    };
  }

  /** Idempotent by clientMessageId: a message sent twice is stored once. */
  async addMessages(user: User, id: string, dto: AddMessagesDto): Promise<{ conversationId: string; received: number; stored: number; messageCount: number }> {
    const session = await this.findOwned(user, id);
    // The first of several messages with one clientMessageId wins, as it would across batches.
    const seen = new Set<string>();
    const unique = dto.messages.filter((m) => !seen.has(m.clientMessageId) && seen.add(m.clientMessageId));
    const result = await this.messages
      .createQueryBuilder()
      .insert()
      .values(
        unique.map((m) => ({
          sessionId: session.id,
          clientMessageId: m.clientMessageId,
          role: m.role,
          message: m.message,
          timeInCallSecs: m.timeInCallSecs ?? null,
          source: 'client' as const,
        })),
      )
      .orIgnore()
      .returning(['id'])
      .execute();
    const messageCount = await this.messages.countBy({ sessionId: session.id });
    return { conversationId: session.id, received: dto.messages.length, stored: (result.raw as unknown[]).length, messageCount };
  }

  /** Links the ElevenLabs conversation; the same id again is fine, another session's id is 409. */
  async setElevenLabsConversationId(user: User, id: string, elevenlabsConversationId: string): Promise<ConversationResponse> {
    const session = await this.findOwned(user, id, true);
    if (session.elevenlabsConversationId === elevenlabsConversationId) return toConversationResponse(session);
    if (session.elevenlabsConversationId) throw new ElevenLabsIdConflictError(elevenlabsConversationId, 'already_set');
    try {
      const result = await this.sessions
        .createQueryBuilder()
        .update()
        .set({ elevenlabsConversationId })
        .where('id = :id AND elevenlabs_conversation_id IS NULL', { id: session.id })
        .execute();
      if (!result.affected) throw new ElevenLabsIdConflictError(elevenlabsConversationId, 'already_set');
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ElevenLabsIdConflictError(elevenlabsConversationId, 'taken');
      }
      throw error;
    }
    return toConversationResponse({ ...session, elevenlabsConversationId });
  }

  /** Idempotent: ending an ended (or expired) conversation changes nothing. */
  async end(user: User, id: string): Promise<ConversationResponse> {
    return (await this.endConversation(user, id)).conversation;
  }

  /** `changed` is false when the conversation had already ended; only a change is announced over the WebSocket. */
  async endConversation(user: User, id: string): Promise<{ conversation: ConversationResponse; changed: boolean }> {
    const session = await this.findOwned(user, id, true);
    if (session.status !== 'active') return { conversation: toConversationResponse(session), changed: false };
    const endedAt = this.clock.now();
    const result = await this.sessions.update({ id: session.id, status: 'active' }, { status: 'ended', endedAt });
    if (!result.affected) return { conversation: toConversationResponse(await this.findOwned(user, id, true)), changed: false };
    const ended = toConversationResponse({ ...session, status: 'ended', endedAt });
    if (session.userId) this.realtime.toUser(session.userId, 'conversation_ended', ended);
    return { conversation: ended, changed: true };
  }

  /** The scheduled job: sessions active for more than 2 hours become `expired`. Returns how many. */
  async expireStaleSessions(now = this.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - SESSION_TTL_MS);
    const result = await this.sessions
      .createQueryBuilder()
      .update()
      .set({ status: 'expired', endedAt: now })
      .where('status = :active AND started_at < :cutoff', { active: 'active', cutoff })
      .returning(['id', 'user_id'])
      .execute();
    const rows = result.raw as Array<{ id: string; user_id: string | null }>;
    for (const row of rows) {
      if (row.user_id) this.realtime.toUser(row.user_id, 'conversation_ended', { conversationId: row.id, status: 'expired', endedAt: now.toISOString() });
    }
    if (rows.length) this.logger.log(`expired ${rows.length} session(s) active for more than 2 hours`);
    return rows.length;
  }

  /** The person's last summary and its action items (room page). */
  async lastSummaryFor(userId: string): Promise<ConversationSummary | null> {
    return this.summaries.findOne({ where: { userId }, order: { startedAt: { direction: 'DESC', nulls: 'LAST' }, createdAt: 'DESC' } });
  }

  /** The session a tool token names, only if it belongs to that user (tool-token auth). */
  findSessionOfUser(id: string, userId: string): Promise<ConversationSession | null> {
    return this.sessions.findOneBy({ id, userId });
  }

  /** The person's latest summaries, newest first, each cut to `maxChars` in SQL (the agent's history tool). */
  async recentSummariesFor(userId: string, limit: number, maxChars: number): Promise<Array<{ title: string | null; at: Date; summary: string | null }>> {
    const rows = await this.summaries
      .createQueryBuilder('summary')
      .select('summary.title', 'title')
      .addSelect('COALESCE(summary.started_at, summary.created_at)', 'at')
      .addSelect('left(summary.summary, :maxChars)', 'summary')
      .where('summary.user_id = :userId', { userId })
      .orderBy('summary.started_at', 'DESC', 'NULLS LAST')
      .addOrderBy('summary.created_at', 'DESC')
      .limit(limit)
      .setParameter('maxChars', maxChars)
      .getRawMany<{ title: string | null; at: Date; summary: string | null }>();
    return rows;
  }

  /** Admins may open any conversation; anyone else only their own, and another's is 404 (no existence leak). */
  private async findOwned(user: User, id: string, withRoom = false): Promise<ConversationSession> {
    const where = user.role === 'admin' ? { id } : { id, userId: user.id };
    const session = await this.sessions.findOne({ where, relations: withRoom ? { room: true } : {} });
    if (!session) throw new ConversationNotFoundError(id);
    return session;
  }

  private assertLive(session: ConversationSession): void {
    const expired = this.clock.nowMs() - session.startedAt.getTime() >= SESSION_TTL_MS;
    if (session.status !== 'active' || expired) throw new ConversationNotActiveError(session.id, expired && session.status === 'active' ? 'expired' : session.status);
  }

  private findResumable(userId: string, roomId: string, agentId: string): Promise<ConversationSession | null> {
    const since = new Date(this.clock.nowMs() - RESUME_WINDOW_MS);
    return this.sessions
      .createQueryBuilder('session')
      .where('session.user_id = :userId AND session.room_id = :roomId AND session.status = :status AND session.started_at > :since', {
        userId,
        roomId,
        status: 'active',
        since,
      })
      .andWhere('(session.agent_id = :agentId OR session.agent_id IS NULL)', { agentId })
      .orderBy('session.started_at', 'DESC')
      .getOne();
  }

  /** To every socket of the person; no signed URL or tool token in the broadcast. */
  private announceStart(session: ConversationSession, room: Room | null, isResumed: boolean, messageCount: number): void {
    if (!session.userId) return;
    this.realtime.toUser(session.userId, 'conversation_started', { ...toConversationResponse(session, room), isResumed, messageCount });
  }

  private findSummary(session: ConversationSession): Promise<ConversationSummary | null> {
    const where: Array<FindOptionsWhere<ConversationSummary>> = [{ sessionId: session.id }];
    if (session.elevenlabsConversationId) where.push({ conversationId: session.elevenlabsConversationId });
    return this.summaries.findOne({ where, order: { createdAt: 'DESC' } });
  }

  private async createSession(
    user: User,
    room: Room | null,
    agentId: string | null,
    fields: { channel: SessionChannel; sessionType: string; metadata: Record<string, unknown> },
  ): Promise<ConversationSession> {
    const token = () => randomUUID().replace(/-/g, '');
    const session = this.sessions.create({
      id: randomUUID(),
      sessionId: `sess_${token()}`,
      customCallId: `call_${token()}`,
      userId: user.id,
      roomId: room?.id ?? null,
      agentId,
      status: 'active',
      startedAt: this.clock.now(),
      endedAt: null,
      elevenlabsConversationId: null,
      ...fields,
    });
    await this.sessions.insert(session as QueryDeepPartialEntity<ConversationSession>);
    return session;
  }

  private started(
    session: ConversationSession,
    room: Room | null,
    user: User,
    variables: PersonalisationVariables,
    signedUrl: string,
    isResumed: boolean,
    messageCount: number,
  ): StartedConversation {
    return {
      conversationId: session.id,
      sessionId: session.sessionId,
      customCallId: session.customCallId,
      signedUrl,
      dynamicVariables: this.dynamicVariables(session, room, user, variables),
      isResumed,
      messageCount,
    };
  }

  private dynamicVariables(session: ConversationSession, room: Room | null, user: User, variables: PersonalisationVariables): DynamicVariables {
    return {
      ...variables,
      user_name: user.displayName,
      session_id: session.sessionId,
      room_id: room?.id ?? '',
      secret__tool_token: this.toolTokens.sign(user.id, session.id),
    };
  }
}
