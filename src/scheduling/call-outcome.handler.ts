import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, IsNull, MoreThan } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CallAttempt } from './entities/call-attempt.entity.js';
import { TaskOutcomesService } from './task-outcomes.service.js';

/** A `call_initiation_failure` webhook: an outbound call that never connected. */
export interface CallInitiationFailure {
  conversationId: string | null;
  agentId: string | null;
  /** `busy` | `no-answer` | `unknown` … as ElevenLabs sends it */
  failureReason: string;
  /** `data.metadata` as delivered (`{ type: 'twilio' | 'sip', body }`). */
  metadata: Record<string, unknown> | null;
}

/** What else the post-call webhook tells about the call (its dynamic variables carry `task_id`/`attempt_id`). */
export interface CompletedCallContext {
  dynamicVariables?: Record<string, unknown>;
  /** false: the caller already found no dial with this conversation id (`dialPersonSql`), so it is not looked up again. */
  dialed?: boolean;
}

/**
 * The hand-off from webhook processing to the scheduling module: failed dials get their next attempt,
 * finished calls complete their task. Called inside the processing transaction; throwing fails the event
 * (retried), so implementations must be idempotent by conversation id.
 */
export interface CallOutcomeHandler {
  callInitiationFailed(failure: CallInitiationFailure, manager: EntityManager): Promise<void>;
  /** A post-call transcription arrived for this conversation (it may be one an outbound dial returned). */
  callCompleted(conversationId: string, manager: EntityManager, context?: CompletedCallContext): Promise<void>;
  /**
   * SQL giving one row when an outbound dial returned this conversation id (`conversationIdParam`, e.g. `$2`), with
   * one column: whom it rang (null: a bare number). A fragment, so that webhook processing matches a call in one
   * statement.
   */
  dialPersonSql(conversationIdParam: string): string;
}

export const CALL_OUTCOME_HANDLER = Symbol('CALL_OUTCOME_HANDLER');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A failure webhook can outrun the recording of its dial's answer; the event is then retried by the webhook processor. */
export class DialNotRecordedYetError extends Error {}

/** Scheduling's answer to call outcomes: busy/no-answer → next attempt or failure; a finished call → task completed. */
@Injectable()
export class SchedulingCallOutcomeHandler implements CallOutcomeHandler {
  constructor(
    private readonly outcomes: TaskOutcomesService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async callInitiationFailed(failure: CallInitiationFailure, manager: EntityManager): Promise<void> {
    if (!failure.conversationId) return;
    const attempt = await manager.findOneBy(CallAttempt, { conversationId: failure.conversationId });
    if (!attempt) {
      // Ours may still be on its way: a dial of the last minutes whose answer is not recorded yet.
      const since = new Date(this.clock.nowMs() - this.config.scheduler.staleDialMs);
      const open = await manager.existsBy(CallAttempt, {
        status: 'dialing',
        conversationId: IsNull(),
        requestedAt: MoreThan(since),
        ...(failure.agentId ? { agentId: failure.agentId } : {}),
      });
      if (open) throw new DialNotRecordedYetError(`no dial recorded for conversation ${failure.conversationId} yet; retried`);
      return;
    }
    const body = (failure.metadata?.body ?? {}) as Record<string, unknown>;
    const detail = [body.CallStatus, body.SipResponseCode && `SIP ${body.SipResponseCode}`, body.sip_status_code && `SIP ${body.sip_status_code}`, body.error_reason]
      .filter((part) => typeof part === 'string' || typeof part === 'number')
      .join(', ');
    await this.outcomes.attemptFailed(manager, attempt.id, {
      message: `call did not connect (${failure.failureReason}${detail ? `; ${detail}` : ''})`,
      retryable: true,
      expect: ['initiated', 'dialing'],
    });
  }

  async callCompleted(conversationId: string, manager: EntityManager, context: CompletedCallContext = {}): Promise<void> {
    const attempt = await this.findAttempt(conversationId, manager, context.dynamicVariables ?? {}, context.dialed !== false);
    if (attempt) await this.outcomes.attemptCompleted(manager, attempt.id, conversationId);
  }

  dialPersonSql(conversationIdParam: string): string {
    return `SELECT COALESCE(a.user_id, CASE WHEN a.task_type = 'check_in' THEN (SELECT t.user_id FROM scheduled_check_ins t WHERE t.id = a.task_id)
              ELSE (SELECT t.user_id FROM callback_tasks t WHERE t.id = a.task_id) END)
            FROM call_attempts a WHERE a.conversation_id = ${conversationIdParam} LIMIT 1`;
  }

  /** The attempt by the dial's conversation id, else by the call's `attempt_id`, else the latest of its `task_id`. */
  private async findAttempt(conversationId: string, manager: EntityManager, variables: Record<string, unknown>, byConversation: boolean): Promise<CallAttempt | null> {
    const dialed = byConversation ? await manager.findOneBy(CallAttempt, { conversationId }) : null;
    if (dialed) return dialed;
    const attemptId = typeof variables.attempt_id === 'string' && UUID.test(variables.attempt_id) ? variables.attempt_id : null;
    const taskId = typeof variables.task_id === 'string' && UUID.test(variables.task_id) ? variables.task_id : null;
    if (attemptId) {
      const attempt = await manager.findOneBy(CallAttempt, { id: attemptId });
      if (attempt && (!taskId || attempt.taskId === taskId)) return attempt;
    }
    if (taskId) return manager.findOne(CallAttempt, { where: { taskId }, order: { attemptNo: 'DESC' } });
    return null;
  }
}

/** Default for tests that want no scheduling reaction. */
@Injectable()
export class NoopCallOutcomeHandler implements CallOutcomeHandler {
  async callInitiationFailed(): Promise<void> {}
  async callCompleted(): Promise<void> {}
  dialPersonSql(): string {
    return 'SELECT NULL::uuid WHERE false';
  }
}
