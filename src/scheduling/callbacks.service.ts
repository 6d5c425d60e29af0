import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import type { Page } from '../http/page-cursor.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { CallDispatcher } from './call-dispatcher.js';
import { CallAttempt } from './entities/call-attempt.entity.js';
import { type CallbackStatus, CallbackTask } from './entities/callback-task.entity.js';
import { InvalidTaskFieldError, TaskNotChangeableError, TaskNotFoundError } from './scheduling.errors.js';
import { lockPendingTask } from './pending-task-lock.js';
import { TaskEventsService } from './task-events.service.js';
import { fetchTaskPage } from './task-list.js';
import { type CallAttemptResponse, type CallbackResponse, toCallAttemptResponse, toCallbackResponse } from './task.mapper.js';
import { optionalReason, optionalZone, requireFutureTime, requireMaxAttempts, requirePhoneNumber } from './task-validation.js';

export interface CreateCallbackInput {
  userId: string | null;
  phoneNumber: string;
  dueAt: Date;
  reason?: string;
  maxAttempts?: number;
  timezone?: string | null;
}

export interface CallbackChanges {
  dueAt?: string;
  reason?: string;
  maxAttempts?: number;
  timezone?: string | null;
  phoneNumber?: string;
}

export interface CallbackListQuery {
  limit?: number;
  cursor?: string;
  status?: CallbackStatus;
  userId?: string;
}

/** Who asks: admins see and change every task, anyone else only their own (404 for the rest). */
export type Actor = Pick<User, 'id' | 'role' | 'phoneNumber'>;

/**
 * Callback tasks: one person (or a bare number) to ring once it is due. Creating one due now nudges the
 * dispatcher; changing one is allowed only while it is pending and not locked by a claim.
 */
@Injectable()
export class CallbacksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly dispatcher: CallDispatcher,
    private readonly events: TaskEventsService,
  ) {}

  /** The entry point of the API, `POST /api/calls/trigger` and the agent's schedule-callback tool. */
  async createCallback(input: CreateCallbackInput): Promise<CallbackResponse> {
    const now = this.clock.now();
    const phoneNumber = requirePhoneNumber('phoneNumber', input.phoneNumber);
    const dueAt = requireFutureTime('dueAt', input.dueAt, now);
    const maxAttempts = requireMaxAttempts('maxAttempts', input.maxAttempts);
    const timezone = optionalZone('timezone', input.timezone);
    const reason = optionalReason('reason', input.reason);
    if (input.userId && !(await this.users.findById(input.userId))) throw new InvalidTaskFieldError('userId', `names no user (${input.userId})`);

    const repository = this.dataSource.getRepository(CallbackTask);
    const task = await repository.save(
      repository.create({ userId: input.userId ?? null, phoneNumber, dueAt, nextAttemptAt: dueAt, reason, maxAttempts, timezone, status: 'pending', attempts: 0 }),
    );
    const response = toCallbackResponse(task);
    this.events.published([{ taskType: 'callback', task: response }]);
    if (task.nextAttemptAt.getTime() <= now.getTime()) this.dispatcher.nudge();
    return response;
  }

  /** `POST /api/callbacks`: `userId` or `phoneNumber` (a user's own number when only `userId` is given). */
  async createFor(actor: Actor, body: { userId?: string; phoneNumber?: string; dueAt: string; reason?: string; maxAttempts?: number; timezone?: string }): Promise<CallbackResponse> {
    const target = await this.resolveTarget(actor, body.userId, body.phoneNumber);
    return this.createCallback({ ...target, dueAt: requireFutureTime('dueAt', body.dueAt, this.clock.now()), reason: body.reason, maxAttempts: body.maxAttempts, timezone: body.timezone });
  }

  /** `POST /api/calls/trigger`: call now — still a task with one attempt row, dispatched like any other. */
  async triggerCall(actor: Actor, body: { userId?: string; phoneNumber?: string; reason?: string }): Promise<CallbackResponse> {
    const target = await this.resolveTarget(actor, body.userId, body.phoneNumber);
    return this.createCallback({ ...target, dueAt: this.clock.now(), reason: body.reason ?? 'call now', maxAttempts: 1 });
  }

  list(actor: Actor, query: CallbackListQuery): Promise<Page<CallbackResponse>> {
    return fetchTaskPage(this.dataSource.getRepository(CallbackTask), actor, query, toCallbackResponse);
  }

  async get(actor: Actor, id: string): Promise<CallbackResponse> {
    return toCallbackResponse(await this.findOwned(actor, id));
  }

  async attempts(actor: Actor, id: string): Promise<{ items: CallAttemptResponse[] }> {
    await this.findOwned(actor, id);
    const attempts = await this.dataSource.getRepository(CallAttempt).find({ where: { taskType: 'callback', taskId: id }, order: { attemptNo: 'ASC' } });
    return { items: attempts.map(toCallAttemptResponse) };
  }

  /** Moves or edits a pending callback. */
  async update(actor: Actor, id: string, changes: CallbackChanges): Promise<CallbackResponse> {
    await this.findOwned(actor, id);
    const now = this.clock.now();
    const patch: Partial<CallbackTask> = {};
    if (changes.dueAt !== undefined) patch.dueAt = patch.nextAttemptAt = requireFutureTime('dueAt', changes.dueAt, now);
    if (changes.reason !== undefined) patch.reason = optionalReason('reason', changes.reason);
    if (changes.maxAttempts !== undefined) patch.maxAttempts = requireMaxAttempts('maxAttempts', changes.maxAttempts);
    if (changes.timezone !== undefined) patch.timezone = optionalZone('timezone', changes.timezone);
    if (changes.phoneNumber !== undefined) {
      patch.phoneNumber = requirePhoneNumber('phoneNumber', changes.phoneNumber);
      if (actor.role !== 'admin' && patch.phoneNumber !== actor.phoneNumber) throw new InvalidTaskFieldError('phoneNumber', 'must be the number on your profile (only admins may call other numbers)');
    }
    const task = await this.changePending(id, 'changed', async (manager, current) => {
      if (patch.maxAttempts !== undefined && patch.maxAttempts < current.attempts) throw new InvalidTaskFieldError('maxAttempts', `must be at least the attempts already made (${current.attempts})`);
      await manager.update(CallbackTask, { id }, patch);
    });
    if (task.status === 'pending' && task.nextAttemptAt.getTime() <= now.getTime()) this.dispatcher.nudge();
    return toCallbackResponse(task);
  }

  /** `DELETE`: a pending callback is cancelled (kept, status `cancelled`). */
  async cancel(actor: Actor, id: string): Promise<CallbackResponse> {
    await this.findOwned(actor, id);
    return toCallbackResponse(await this.changePending(id, 'cancelled', (manager) => manager.update(CallbackTask, { id }, { status: 'cancelled' }).then(() => undefined)));
  }

  /** Admin: a `failed` callback gets one more attempt through the same rules (window, dispatcher). */
  async retry(id: string): Promise<CallbackResponse> {
    const task = await this.dataSource.transaction(async (manager) => {
      let current: CallbackTask | null;
      try {
        current = await manager.findOne(CallbackTask, { where: { id }, lock: { mode: 'pessimistic_write', onLocked: 'nowait' } });
      } catch (error) {
        if ((error as { code?: string }).code === '55P03') throw new TaskNotChangeableError('this callback is being dialled right now');
        throw error;
      }
      if (!current) throw new TaskNotFoundError('callback', id);
      if (current.status !== 'failed') throw new TaskNotChangeableError(`only a failed callback can be retried (this one is ${current.status})`);
      await manager.update(CallbackTask, { id }, { status: 'pending', maxAttempts: current.attempts + 1, nextAttemptAt: this.clock.now(), lastError: null });
      return manager.findOneByOrFail(CallbackTask, { id });
    });
    const response = toCallbackResponse(task);
    this.events.published([{ taskType: 'callback', task: response }]);
    this.dispatcher.nudge();
    return response;
  }

  private async resolveTarget(actor: Actor, userId: string | undefined, phoneNumber: string | undefined): Promise<{ userId: string | null; phoneNumber: string }> {
    if (actor.role !== 'admin') {
      if (userId && userId !== actor.id) throw new InvalidTaskFieldError('userId', 'may only name yourself (only admins schedule calls for others)');
      const own = actor.phoneNumber;
      if (phoneNumber !== undefined && requirePhoneNumber('phoneNumber', phoneNumber) !== own) {
        throw new InvalidTaskFieldError('phoneNumber', 'must be the number on your profile (only admins may call other numbers)');
      }
      if (!own) throw new InvalidTaskFieldError('phoneNumber', 'is missing: your profile has no phone number (the token claim phone_number sets it)');
      return { userId: actor.id, phoneNumber: own };
    }
    if (!userId && !phoneNumber) throw new InvalidTaskFieldError('userId', 'or phoneNumber is required');
    if (userId) {
      const user = await this.users.findById(userId);
      if (!user) throw new InvalidTaskFieldError('userId', `names no user (${userId})`);
      const number = phoneNumber ?? user.phoneNumber;
      if (!number) throw new InvalidTaskFieldError('phoneNumber', `is required: user ${userId} has no phone number on file`);
      return { userId, phoneNumber: number };
    }
    return { userId: null, phoneNumber: phoneNumber! };
  }

  private async findOwned(actor: Actor, id: string): Promise<CallbackTask> {
    const task = await this.dataSource.getRepository(CallbackTask).findOneBy(actor.role === 'admin' ? { id } : { id, userId: actor.id });
    if (!task) throw new TaskNotFoundError('callback', id);
    return task;
  }

  /** Applies `change` to a pending callback (409 while it is being dialled or once it is past pending). */
  private async changePending(id: string, what: string, change: (manager: EntityManager, current: CallbackTask) => Promise<void>): Promise<CallbackTask> {
    const task = await this.dataSource.transaction(async (manager) => {
      await lockPendingTask(manager, 'callback_tasks', id, what);
      await change(manager, await manager.findOneByOrFail(CallbackTask, { id }));
      return manager.findOneByOrFail(CallbackTask, { id });
    });
    this.events.published([{ taskType: 'callback', task: toCallbackResponse(task) }]);
    return task;
  }
}
