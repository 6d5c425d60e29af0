import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ElevenLabsNotConfiguredError, ElevenLabsRequestError } from '../elevenlabs/elevenlabs.errors.js';
import { ElevenLabsService } from '../elevenlabs/elevenlabs.service.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { PersonalisationService } from '../insights/personalisation.service.js';
import { SettingsService } from '../settings/settings.service.js';
import { UsersService } from '../users/users.service.js';
import { effectiveZone, isInsideCallWindow, nextCallWindowOpening } from './call-window.js';
import { CallAttempt } from './entities/call-attempt.entity.js';
import { TaskEventsService, type TaskRef } from './task-events.service.js';
import type { TaskType } from './task.mapper.js';
import { TaskOutcomesService, taskEntity } from './task-outcomes.service.js';

/** One claimed dial: the committed permission to ring `toNumber` once, as attempt `attemptNo` of the task. */
export interface ClaimedDial {
  attemptId: string;
  attemptNo: number;
  taskType: TaskType;
  taskId: string;
  userId: string | null;
  toNumber: string;
  agentId: string;
  phoneNumberId: string;
  zone: string;
  reason: string;
}

interface DueRow {
  id: string;
  user_id: string | null;
  phone: string | null;
  timezone: string | null;
  user_timezone: string | null;
  reason: string;
  next_attempt_at: Date;
}

/** The `user_id` a dial is started with (and found by after a crash): the person, or the task for a bare number. */
export function callUserId(userId: string | null, taskId: string): string {
  return userId ?? `task:${taskId}`;
}

const TABLES: Record<TaskType, string> = { callback: 'callback_tasks', check_in: 'scheduled_check_ins' };

/**
 * Dials due callbacks and check-ins. Due rows are claimed with `FOR UPDATE SKIP LOCKED`, never more than
 * the free dial slots (OUTBOUND_CONCURRENCY per process); the claiming transaction marks them `dialing`
 * and inserts their `call_attempts` row (unique per task and attempt number), and only that commit
 * permits the dial. The answer of each dial is recorded in its own transaction. A dial whose answer never
 * got recorded (crash, timeout) is looked up at ElevenLabs by `recoverStaleDials` before anything is
 * dialled again, so nobody is rung twice for one attempt, whatever the number of instances.
 */
@Injectable()
export class CallDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger(CallDispatcher.name);
  /** Claimed (committed) dials waiting for a free slot. */
  private readonly ready: ClaimedDial[] = [];
  /** Dials whose request to ElevenLabs is in flight: these count against OUTBOUND_CONCURRENCY. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Answers being written (after the slot is free again). */
  private readonly recording = new Set<Promise<void>>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Claim statements run and their total time, for the bench. */
  readonly claimStats = { claims: 0, claimed: 0, totalMs: 0 };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly elevenlabs: ElevenLabsService,
    private readonly settings: SettingsService,
    private readonly personalisation: PersonalisationService,
    private readonly users: UsersService,
    private readonly conversations: ConversationsService,
    private readonly outcomes: TaskOutcomesService,
    private readonly events: TaskEventsService,
  ) {}

  /** Work through what is due now (after a task due now was created, and on the interval). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.pump())
      .catch((error: unknown) => this.logger.error(`dispatch loop failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Dispatches everything due and waits for every dial's answer to be recorded (tests, bench). */
  async drain(): Promise<void> {
    for (;;) {
      while (this.running) await this.running;
      await this.pump();
      await Promise.allSettled([...this.inFlight]);
      await Promise.allSettled([...this.recording]);
      if (!this.running) return;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
    // Claimed but not dialled: hand them back rather than leave them to the stale-dial check.
    await Promise.allSettled(this.ready.splice(0).map((claimed) => this.release(claimed, this.clock.now(), 'server stopping before the dial; not dialled')));
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.recording]);
  }

  /**
   * Keeps OUTBOUND_CONCURRENCY dials in flight: claims ahead a few dials (a quarter of the slots) so a
   * freed slot starts the next dial without waiting for a claim's round trips.
   */
  private async pump(): Promise<void> {
    const concurrency = this.config.scheduler.outboundConcurrency;
    const ahead = Math.max(1, Math.floor(concurrency / 4));
    for (;;) {
      if (this.stopped) return;
      while (this.inFlight.size < concurrency && this.ready.length) this.start(this.ready.shift()!);
      const wanted = concurrency + ahead - this.inFlight.size - this.ready.length;
      let exhausted = false;
      if (wanted > 0) {
        const { dials, touched } = await this.claimDue(Math.min(wanted, this.config.scheduler.claimBatchSize));
        this.ready.push(...dials);
        exhausted = touched === 0;
        if (!exhausted) continue;
      }
      if (exhausted && !this.ready.length) return;
      if (this.inFlight.size) await Promise.race(this.inFlight);
      else if (!this.ready.length) return;
    }
  }

  private start(claimed: ClaimedDial): void {
    const done: Promise<void> = this.dial(claimed)
      .catch((error: unknown) => this.logger.error(`dial of ${claimed.taskType} ${claimed.taskId} failed: ${String(error)}`))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  /**
   * Claims up to `limit` due tasks in one transaction. Rows outside their call window are moved to the next
   * opening; rows that cannot be dialled at all (no agent, no phone number id, no API key, no phone)
   * fail at once; the rest become `dialing` with their attempt row. `touched` counts every row handled,
   * so the caller knows whether more may be due.
   */
  async claimDue(limit: number): Promise<{ dials: ClaimedDial[]; touched: number }> {
    const agent = await this.settings.getAgentSettings();
    const started = performance.now();
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (manager) => {
      const [callbacks, checkIns] = await Promise.all([this.lockDue(manager, 'callback', now, limit), this.lockDue(manager, 'check_in', now, limit)]);
      const due = [...callbacks.map((row) => ({ row, taskType: 'callback' as const })), ...checkIns.map((row) => ({ row, taskType: 'check_in' as const }))]
        .sort((a, b) => new Date(a.row.next_attempt_at).getTime() - new Date(b.row.next_attempt_at).getTime())
        .slice(0, limit);
      if (!due.length) return { dials: [], touched: 0 };

      const refs: TaskRef[] = [];
      const unusable = this.unusableReason(agent);
      const dialable: typeof due = [];
      for (const item of due) {
        const zone = effectiveZone(item.row.timezone, item.row.user_timezone);
        const problem = unusable ?? (item.row.phone ? null : `user ${item.row.user_id} has no phone number: set one on the profile (token claim phone_number)`);
        if (problem) {
          const task = await manager.findOneByOrFail(taskEntity(item.taskType), { id: item.row.id });
          await this.outcomes.failTask(manager, item.taskType, task, problem);
          continue;
        }
        if (!isInsideCallWindow(now, zone, this.config.scheduler.callWindow)) {
          const opening = nextCallWindowOpening(now, zone, this.config.scheduler.callWindow);
          await manager.update(taskEntity(item.taskType), { id: item.row.id }, { nextAttemptAt: opening });
          refs.push({ taskType: item.taskType, id: item.row.id });
          continue;
        }
        dialable.push(item);
      }

      const dials: ClaimedDial[] = [];
      for (const taskType of ['callback', 'check_in'] as const) {
        const rows = dialable.filter((item) => item.taskType === taskType).map((item) => item.row);
        if (!rows.length) continue;
        // One statement: mark dialing, count the attempt and insert its row (unique per task and attempt number).
        const inserted: Array<{ id: string; task_id: string; attempt_no: number }> = await manager.query(
          `WITH claimed AS (
             UPDATE ${TABLES[taskType]} AS t SET status = 'dialing', attempts = t.attempts + 1, updated_at = now()
               FROM unnest($1::uuid[], $2::text[]) AS c(id, phone) WHERE t.id = c.id AND t.status = 'pending'
             RETURNING t.id, t.attempts, t.user_id, c.phone)
           INSERT INTO call_attempts (task_type, task_id, attempt_no, status, user_id, agent_id, to_number, requested_at)
           SELECT $3, id, attempts, 'dialing', user_id, $4, phone, $5 FROM claimed
           RETURNING id, task_id, attempt_no`,
          [rows.map((row) => row.id), rows.map((row) => row.phone), taskType, agent.agentId, now],
        );
        const byTask = new Map(rows.map((row) => [row.id, row]));
        for (const attempt of inserted) {
          const row = byTask.get(attempt.task_id)!;
          dials.push({
            attemptId: attempt.id,
            attemptNo: attempt.attempt_no,
            taskType,
            taskId: row.id,
            userId: row.user_id,
            toNumber: row.phone!,
            agentId: agent.agentId!,
            phoneNumberId: agent.phoneNumberId!,
            zone: effectiveZone(row.timezone, row.user_timezone),
            reason: row.reason ?? '',
          });
          refs.push({ taskType, id: row.id });
        }
      }
      await this.events.publishWith(manager, refs);
      return { dials, touched: due.length };
    });
    this.claimStats.claims += 1;
    this.claimStats.claimed += result.dials.length;
    this.claimStats.totalMs += performance.now() - started;
    return result;
  }

  private lockDue(manager: EntityManager, taskType: TaskType, now: Date, limit: number): Promise<DueRow[]> {
    const phone = taskType === 'callback' ? 't.phone_number' : 'u.phone_number';
    const reason = taskType === 'callback' ? 't.reason' : `'check-in'`;
    const channel = taskType === 'check_in' ? `AND t.channel = 'call'` : '';
    return manager.query(
      `SELECT t.id, t.user_id, ${phone} AS phone, t.timezone, u.timezone AS user_timezone, ${reason} AS reason, t.next_attempt_at
         FROM ${TABLES[taskType]} t LEFT JOIN users u ON u.id = t.user_id
        WHERE t.status = 'pending' AND t.next_attempt_at <= $1 ${channel}
        ORDER BY t.next_attempt_at
        LIMIT $2
          FOR UPDATE OF t SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Settings without which no dial can succeed; retrying cannot help, so the task fails with what to set. */
  private unusableReason(agent: { agentId: string | null; phoneNumberId: string | null }): string | null {
    if (!this.elevenlabs.isConfigured) return 'ELEVENLABS_API_KEY is not set: outbound calls need an ElevenLabs API key';
    if (!agent.agentId) return 'no ElevenLabs agent is configured: set agentId with PUT /api/settings/agent or ELEVENLABS_AGENT_ID';
    if (!agent.phoneNumberId) {
      return 'no outbound phone number is configured: set phoneNumberId (the ElevenLabs phone number id, phnum_…) with PUT /api/settings/agent or ELEVENLABS_PHONE_NUMBER_ID';
    }
    return null;
  }

  /** Places one claimed dial and records its answer. */
  async dial(claimed: ClaimedDial): Promise<void> {
    if (!isInsideCallWindow(this.clock.now(), claimed.zone, this.config.scheduler.callWindow)) {
      const opening = nextCallWindowOpening(this.clock.now(), claimed.zone, this.config.scheduler.callWindow);
      return this.release(claimed, opening, 'outside the call window at dial time; not dialled');
    }

    let dynamicVariables: Record<string, string>;
    try {
      const user = claimed.userId ? await this.users.findById(claimed.userId) : null;
      const variables = await this.personalisation.variablesFor(user);
      // A known person's call gets a phone session, so the agent's tools (secret__tool_token) work on outbound calls too;
      // a session left by a dial that never connects is expired with the other stale ones.
      const session = user
        ? await this.conversations.openPhoneSession(user, claimed.agentId, { source: 'outbound', taskType: claimed.taskType, taskId: claimed.taskId, attemptId: claimed.attemptId })
        : { session_id: '', secret__tool_token: '' };
      dynamicVariables = {
        ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value ?? '')])),
        ...session,
        user_id: claimed.userId ?? '',
        task_id: claimed.taskId,
        task_type: claimed.taskType,
        attempt_id: claimed.attemptId,
        call_reason: claimed.reason,
      };
    } catch (error) {
      // Nothing was dialled: a plain retryable failure.
      return this.record((manager) => this.outcomes.attemptFailed(manager, claimed.attemptId, { message: `could not prepare the call: ${String(error)}`, retryable: true }));
    }

    try {
      const answer = await this.elevenlabs.placeOutboundCall({
        agentId: claimed.agentId,
        agentPhoneNumberId: claimed.phoneNumberId,
        toNumber: claimed.toNumber,
        userId: callUserId(claimed.userId, claimed.taskId),
        dynamicVariables,
      });
      if (!answer.success) {
        return this.record((manager) => this.outcomes.attemptFailed(manager, claimed.attemptId, { message: `ElevenLabs did not place the call: ${answer.message}`, retryable: true }));
      }
      return this.record((manager) => this.outcomes.dialAccepted(manager, claimed.attemptId, answer.conversationId, answer.callSid));
    } catch (error) {
      const verdict = classifyDialError(error);
      if (verdict.kind === 'unknown') {
        // The request may have reached ElevenLabs: leave the attempt dialing; recoverStaleDials looks it up first.
        this.logger.warn(`dial of ${claimed.taskType} ${claimed.taskId} has no answer (${verdict.message}); it is checked at ElevenLabs before any retry`);
        return this.record((manager) => manager.update(CallAttempt, { id: claimed.attemptId, status: 'dialing' }, { error: verdict.message }).then(() => undefined));
      }
      return this.record((manager) => this.outcomes.attemptFailed(manager, claimed.attemptId, { message: verdict.message, retryable: verdict.kind === 'retry' }));
    }
  }

  /**
   * A claim that is not dialled (the window closed before the dial, the server is stopping): the attempt
   * is `cancelled`, the task pending again from `at`, and its attempt budget grows by one so nothing is lost.
   */
  private release(claimed: ClaimedDial, at: Date, why: string): Promise<void> {
    return this.record(async (manager) => {
      const attempt = await this.outcomes.lockAttempt(manager, claimed.attemptId);
      if (!attempt || attempt.status !== 'dialing') return;
      await manager.update(CallAttempt, { id: attempt.id }, { status: 'cancelled', error: why, finishedAt: this.clock.now() });
      await manager.query(
        `UPDATE ${TABLES[claimed.taskType]} SET status = 'pending', next_attempt_at = $2, max_attempts = max_attempts + 1, updated_at = now() WHERE id = $1 AND status = 'dialing'`,
        [claimed.taskId, at],
      );
      await this.events.publishWith(manager, [{ taskType: claimed.taskType, id: claimed.taskId }]);
    });
  }

  /**
   * Writes a dial's answer in its own transaction without holding the dial slot: the slot bounds calls in
   * flight at ElevenLabs, and the next claim need not wait for this commit.
   */
  private record(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    const writing: Promise<void> = this.dataSource
      .transaction(work)
      .catch((error: unknown) => this.logger.error(`a dial's answer could not be recorded (the stale-dial check settles it): ${String(error)}`))
      .finally(() => this.recording.delete(writing));
    this.recording.add(writing);
    return Promise.resolve();
  }

  /**
   * Attempts still `dialing` after SCHEDULER_STALE_DIAL_MS (their process crashed, or the dial timed out)
   * are looked up in ElevenLabs' conversation list (by the dial's user_id and start time, confirmed by
   * its attempt_id variable) while the attempt stays locked: found → linked and in progress; not found
   * → `unknown`, and the task gets a new attempt. Returns how many were settled.
   */
  async recoverStaleDials(limit = 20): Promise<number> {
    if (!this.elevenlabs.isConfigured) return 0;
    const cutoff = new Date(this.clock.nowMs() - this.config.scheduler.staleDialMs);
    let settled = 0;
    while (settled < limit && !this.stopped) {
      const handled = await this.dataSource.transaction(async (manager) => {
        const rows: Array<{ id: string }> = await manager.query(
          `SELECT id FROM call_attempts WHERE status = 'dialing' AND requested_at < $1 ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [cutoff],
        );
        if (!rows.length) return false;
        const attempt = await manager.findOneByOrFail(CallAttempt, { id: rows[0].id });
        const found = await this.findPlacedCall(manager, attempt);
        if (found) {
          this.logger.warn(`attempt ${attempt.id} (${attempt.taskType} ${attempt.taskId}) was placed (${found.conversationId}); linked, not redialled`);
          await this.outcomes.dialAccepted(manager, attempt.id, found.conversationId, found.callSid);
        } else {
          await this.outcomes.attemptFailed(manager, attempt.id, {
            message: `the outcome of attempt ${attempt.attemptNo} is unknown (no answer recorded) and ElevenLabs has no such call; retried as a new attempt`,
            retryable: true,
            attemptStatus: 'unknown',
            expect: ['dialing'],
          });
        }
        return true;
      });
      if (!handled) break;
      settled += 1;
    }
    return settled;
  }

  private async findPlacedCall(manager: EntityManager, attempt: CallAttempt): Promise<{ conversationId: string; callSid: string | null } | null> {
    const startedSecs = Math.floor(attempt.requestedAt.getTime() / 1000);
    const page = await this.elevenlabs.listConversations({
      agentId: attempt.agentId ?? undefined,
      userId: callUserId(attempt.userId, attempt.taskId),
      callStartAfterUnix: startedSecs - 60,
      callStartBeforeUnix: startedSecs + Math.ceil(this.config.scheduler.staleDialMs / 1000) + 60,
      pageSize: 100,
    });
    const candidates = page.conversations.map((c) => c.conversationId);
    if (!candidates.length) return null;
    const linked = await manager.find(CallAttempt, { where: { conversationId: In(candidates) }, select: { conversationId: true } });
    const taken = new Set(linked.map((row) => row.conversationId));
    for (const conversationId of candidates.filter((id) => !taken.has(id))) {
      const conversation = await this.elevenlabs.getConversation(conversationId);
      const clientData = (conversation.conversation_initiation_client_data ?? {}) as { dynamic_variables?: Record<string, unknown> };
      if (clientData.dynamic_variables?.attempt_id !== attempt.id) continue;
      const phoneCall = ((conversation.metadata ?? {}) as { phone_call?: { call_sid?: unknown } }).phone_call;
      return { conversationId, callSid: typeof phoneCall?.call_sid === 'string' ? phoneCall.call_sid : null };
    }
    return null;
  }
}

/** retry: 408/429/5xx, or a 200 without success; fail: retrying cannot help; unknown: no answer at all (timeout, network). */
export function classifyDialError(error: unknown): { kind: 'retry' | 'fail' | 'unknown'; message: string } {
  if (error instanceof ElevenLabsNotConfiguredError) return { kind: 'fail', message: 'ELEVENLABS_API_KEY is not set: outbound calls need an ElevenLabs API key' };
  if (!(error instanceof ElevenLabsRequestError)) return { kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
  const status = error.upstreamStatus;
  if (status === undefined) return { kind: 'unknown', message: error.message };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', message: error.message };
  const hint =
    status === 401 ? 'set a valid ELEVENLABS_API_KEY'
    : status === 403 ? 'the API key or plan may not place calls: check ELEVENLABS_API_KEY permissions (Agents Platform write) and the plan'
    : status === 404 ? 'check the agent and phone number id (PUT /api/settings/agent, ELEVENLABS_AGENT_ID, ELEVENLABS_PHONE_NUMBER_ID)'
    : status === 422 ? 'check the phone number, the agent and the phone number id (PUT /api/settings/agent)'
    : 'retrying cannot help';
  return { kind: 'fail', message: `${error.message} — ${hint}` };
}

