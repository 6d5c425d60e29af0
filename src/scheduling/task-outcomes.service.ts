import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ActivityService } from '../dashboard/activity.service.js';
import { UsersService } from '../users/users.service.js';
import { nextAttemptDelayMs } from './call-backoff.js';
import { effectiveZone } from './call-window.js';
import { CallAttempt } from './entities/call-attempt.entity.js';
import { CallbackTask } from './entities/callback-task.entity.js';
import { ScheduledCheckIn } from './entities/scheduled-check-in.entity.js';
import { nextOccurrence } from './recurrence.js';
import { TaskEventsService } from './task-events.service.js';
import type { TaskType } from './task.mapper.js';

export type AnyTask = CallbackTask | ScheduledCheckIn;
const OPEN_STATUSES = ['pending', 'dialing', 'in_progress'];

export function taskEntity(taskType: TaskType) {
  return taskType === 'callback' ? CallbackTask : ScheduledCheckIn;
}

/** An attempt's task type as the dispatcher writes it ('manual' is never written: a trigger is a callback). */
export function taskTypeOf(attempt: CallAttempt): TaskType {
  return attempt.taskType === 'check_in' ? 'check_in' : 'callback';
}

/**
 * What happens to a task and its attempt when a dial answers, fails, or its call ends. Every method runs
 * inside the caller's transaction, locks the attempt and the task, and is idempotent: an attempt already
 * past the state a method expects is left alone.
 */
@Injectable()
export class TaskOutcomesService {
  private readonly logger = new Logger(TaskOutcomesService.name);

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly activity: ActivityService,
    private readonly users: UsersService,
    private readonly events: TaskEventsService,
  ) {}

  async lockAttempt(manager: EntityManager, attemptId: string): Promise<CallAttempt | null> {
    return manager.findOne(CallAttempt, { where: { id: attemptId }, lock: { mode: 'pessimistic_write' } });
  }

  private async lockTask(manager: EntityManager, taskType: TaskType, id: string): Promise<AnyTask | null> {
    return manager.findOne(taskEntity(taskType), { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The dial was accepted: attempt and task carry the conversation id and call SID; the task is in progress. */
  async dialAccepted(manager: EntityManager, attemptId: string, conversationId: string | null, callSid: string | null): Promise<void> {
    // Two statements on the hot path (attempt, then task: the lock order of every other writer).
    const [attempts]: [Array<{ task_type: string; task_id: string; attempt_no: number }>, number] = await manager.query(
      `UPDATE call_attempts SET status = 'initiated', conversation_id = $2, call_sid = $3, error = NULL
        WHERE id = $1 AND status = 'dialing' RETURNING task_type, task_id, attempt_no`,
      [attemptId, conversationId, callSid],
    );
    const attempt = attempts[0];
    if (!attempt) return;
    const taskType: TaskType = attempt.task_type === 'check_in' ? 'check_in' : 'callback';
    const [tasks]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE ${taskType === 'callback' ? 'callback_tasks' : 'scheduled_check_ins'}
          SET status = 'in_progress', conversation_id = $2, call_sid = $3, last_error = NULL, updated_at = now()
        WHERE id = $1 AND status = 'dialing' AND attempts = $4 RETURNING id`,
      [attempt.task_id, conversationId, callSid, attempt.attempt_no],
    );
    if (tasks.length) await this.events.publishWith(manager, [{ taskType, id: attempt.task_id }]);
  }

  /**
   * The attempt did not reach the person (API error, `call_initiation_failure`, lost in a crash): the task
   * gets its next attempt after the backoff, or — when `retryable` is false or the attempts are used up —
   * fails for good with `message` and an activity event.
   */
  async attemptFailed(
    manager: EntityManager,
    attemptId: string,
    outcome: { message: string; retryable: boolean; attemptStatus?: 'failed' | 'unknown'; expect?: string[] },
  ): Promise<void> {
    const attempt = await this.lockAttempt(manager, attemptId);
    if (!attempt || !(outcome.expect ?? ['dialing', 'initiated']).includes(attempt.status)) return;
    await manager.update(CallAttempt, { id: attempt.id }, { status: outcome.attemptStatus ?? 'failed', error: outcome.message.slice(0, 2000), finishedAt: this.clock.now() });
    const taskType = taskTypeOf(attempt);
    const task = await this.lockTask(manager, taskType, attempt.taskId);
    // Only the task's latest attempt decides; a late failure of an older one changes nothing.
    if (!task || !['dialing', 'in_progress'].includes(task.status) || task.attempts !== attempt.attemptNo) return;
    await this.retryOrFail(manager, taskType, task, outcome.message, outcome.retryable);
  }

  /** Next attempt after the backoff, or the final failure. `task` must be locked by the caller. */
  async retryOrFail(manager: EntityManager, taskType: TaskType, task: AnyTask, message: string, retryable: boolean): Promise<void> {
    if (retryable && task.attempts < task.maxAttempts) {
      const delay = nextAttemptDelayMs(task.attempts, { baseMs: this.config.scheduler.retryBaseMs, maxMs: this.config.scheduler.retryMaxMs });
      const nextAttemptAt = new Date(this.clock.nowMs() + delay);
      await manager.update(taskEntity(taskType), { id: task.id }, { status: 'pending', nextAttemptAt, lastError: message.slice(0, 2000) });
      await this.events.publishWith(manager, [{ taskType, id: task.id }]);
      return;
    }
    await this.failTask(manager, taskType, task, message);
  }

  /** Final failure: status `failed`, `last_error`, an activity event; a recurring check-in continues its series. */
  async failTask(manager: EntityManager, taskType: TaskType, task: AnyTask, message: string): Promise<void> {
    await manager.update(taskEntity(taskType), { id: task.id }, { status: 'failed', lastError: message.slice(0, 2000) });
    const label = taskType === 'callback' ? 'Callback' : 'Check-in';
    this.logger.warn(`${label} ${task.id} failed: ${message}`);
    await this.activity.record(
      taskType === 'callback' ? 'callback_failed' : 'check_in_failed',
      `${label} failed after ${task.attempts} attempt${task.attempts === 1 ? '' : 's'}: ${message}`,
      { taskType, taskId: task.id, userId: task.userId, attempts: task.attempts, lastError: message },
      manager,
    );
    await this.events.publishWith(manager, [{ taskType, id: task.id }]);
    if (taskType === 'check_in') await this.continueSeries(manager, task as ScheduledCheckIn);
  }

  /** The call took place: the attempt and its task are completed and linked to the conversation. */
  async attemptCompleted(manager: EntityManager, attemptId: string, conversationId: string): Promise<void> {
    const attempt = await this.lockAttempt(manager, attemptId);
    if (!attempt || attempt.status === 'completed') return;
    await manager.update(CallAttempt, { id: attempt.id }, { status: 'completed', conversationId, finishedAt: this.clock.now() });
    const taskType = taskTypeOf(attempt);
    const task = await this.lockTask(manager, taskType, attempt.taskId);
    if (!task || task.status === 'completed' || task.status === 'cancelled') return;
    // Even a task already retried or failed is done: the person was reached by this attempt.
    await manager.update(taskEntity(taskType), { id: task.id }, { status: 'completed', conversationId, lastError: null });
    await this.events.publishWith(manager, [{ taskType, id: task.id }]);
    // A check-in that had already failed for good continued its series then; the unique link makes this a no-op.
    if (taskType === 'check_in') await this.continueSeries(manager, task as ScheduledCheckIn);
  }

  /**
   * A recurring check-in's next occurrence, exactly once: the new row names this one as its
   * `previous_check_in_id` (unique), so a second completion, a replayed webhook or another instance inserts nothing.
   */
  async continueSeries(manager: EntityManager, checkIn: ScheduledCheckIn): Promise<void> {
    if (!checkIn.recurrence) return;
    const user = await this.users.findById(checkIn.userId);
    const zone = effectiveZone(checkIn.timezone, user?.timezone);
    const now = this.clock.now();
    const after = checkIn.scheduledFor.getTime() > now.getTime() ? checkIn.scheduledFor : now;
    let next: Date | null;
    try {
      next = nextOccurrence(checkIn.recurrence, checkIn.seriesStart ?? checkIn.scheduledFor, after, zone);
    } catch (error) {
      this.logger.warn(`check-in ${checkIn.id}: recurrence ${checkIn.recurrence} unusable: ${String(error)}`);
      return;
    }
    if (!next) return;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ScheduledCheckIn)
      .values({
        userId: checkIn.userId,
        scheduledFor: next,
        nextAttemptAt: next,
        recurrence: checkIn.recurrence,
        channel: checkIn.channel,
        timezone: checkIn.timezone,
        maxAttempts: checkIn.maxAttempts,
        seriesStart: checkIn.seriesStart ?? checkIn.scheduledFor,
        previousCheckInId: checkIn.id,
        status: 'pending',
        attempts: 0,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (result.raw as Array<{ id: string }>)[0]?.id;
    if (id) await this.events.publishWith(manager, [{ taskType: 'check_in', id }]);
  }

  static isOpen(status: string): boolean {
    return OPEN_STATUSES.includes(status);
  }
}
