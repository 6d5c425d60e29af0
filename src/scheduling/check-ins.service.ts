import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import type { Page } from '../http/page-cursor.js';
import { UsersService } from '../users/users.service.js';
import { CallDispatcher } from './call-dispatcher.js';
import type { Actor, CallbackListQuery } from './callbacks.service.js';
import type { CreateCheckInDto, UpdateCheckInDto } from './dto/scheduling.dto.js';
import { ScheduledCheckIn } from './entities/scheduled-check-in.entity.js';
import { lockPendingTask } from './pending-task-lock.js';
import { recurrenceProblem } from './recurrence.js';
import { InvalidTaskFieldError, SmsNotSupportedError, TaskNotFoundError } from './scheduling.errors.js';
import { TaskEventsService } from './task-events.service.js';
import { fetchTaskPage } from './task-list.js';
import { type CheckInResponse, toCheckInResponse } from './task.mapper.js';
import { optionalZone, requireFutureTime, requireMaxAttempts } from './task-validation.js';

function requireRecurrence(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const problem = recurrenceProblem(value);
  if (problem) throw new InvalidTaskFieldError('recurrence', problem);
  return value.trim().replace(/^RRULE:/i, '');
}

/** Scheduled check-ins: a call to a person at a time, optionally recurring (RRULE in its time zone). */
@Injectable()
export class CheckInsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly dispatcher: CallDispatcher,
    private readonly events: TaskEventsService,
  ) {}

  async create(actor: Actor, body: CreateCheckInDto): Promise<CheckInResponse> {
    if (body.channel === 'sms') throw new SmsNotSupportedError();
    if (actor.role !== 'admin' && body.userId !== actor.id) throw new InvalidTaskFieldError('userId', 'may only name yourself (only admins schedule check-ins for others)');
    const user = await this.users.findById(body.userId);
    if (!user) throw new InvalidTaskFieldError('userId', `names no user (${body.userId})`);
    if (!user.phoneNumber) throw new InvalidTaskFieldError('userId', `names a user without a phone number; a check-in call needs one on the profile`);
    const now = this.clock.now();
    const scheduledFor = requireFutureTime('scheduledFor', body.scheduledFor, now);
    const repository = this.dataSource.getRepository(ScheduledCheckIn);
    const checkIn = await repository.save(
      repository.create({
        userId: user.id,
        scheduledFor,
        nextAttemptAt: scheduledFor,
        seriesStart: scheduledFor,
        recurrence: requireRecurrence(body.recurrence),
        channel: 'call',
        timezone: optionalZone('timezone', body.timezone),
        maxAttempts: requireMaxAttempts('maxAttempts', body.maxAttempts),
        status: 'pending',
        attempts: 0,
      }),
    );
    const response = toCheckInResponse(checkIn);
    this.events.published([{ taskType: 'check_in', task: response }]);
    if (scheduledFor.getTime() <= now.getTime()) this.dispatcher.nudge();
    return response;
  }

  list(actor: Actor, query: CallbackListQuery): Promise<Page<CheckInResponse>> {
    return fetchTaskPage(this.dataSource.getRepository(ScheduledCheckIn), actor, query, toCheckInResponse);
  }

  async get(actor: Actor, id: string): Promise<CheckInResponse> {
    return toCheckInResponse(await this.findOwned(actor, id));
  }

  async update(actor: Actor, id: string, changes: UpdateCheckInDto): Promise<CheckInResponse> {
    await this.findOwned(actor, id);
    const now = this.clock.now();
    const patch: Partial<ScheduledCheckIn> = {};
    if (changes.scheduledFor !== undefined) patch.scheduledFor = patch.nextAttemptAt = requireFutureTime('scheduledFor', changes.scheduledFor, now);
    if (changes.recurrence !== undefined) patch.recurrence = requireRecurrence(changes.recurrence);
    if (changes.timezone !== undefined) patch.timezone = optionalZone('timezone', changes.timezone);
    if (changes.maxAttempts !== undefined) patch.maxAttempts = requireMaxAttempts('maxAttempts', changes.maxAttempts);
    if (patch.scheduledFor && !patch.recurrence) patch.seriesStart = patch.scheduledFor;
    return this.changePending(id, 'changed', patch);
  }

  async cancel(actor: Actor, id: string): Promise<CheckInResponse> {
    await this.findOwned(actor, id);
    return this.changePending(id, 'cancelled', { status: 'cancelled' });
  }

  private async changePending(id: string, what: string, patch: Partial<ScheduledCheckIn>): Promise<CheckInResponse> {
    const checkIn = await this.dataSource.transaction(async (manager) => {
      await lockPendingTask(manager, 'scheduled_check_ins', id, what);
      const current = await manager.findOneByOrFail(ScheduledCheckIn, { id });
      if (patch.maxAttempts !== undefined && patch.maxAttempts < current.attempts) throw new InvalidTaskFieldError('maxAttempts', `must be at least the attempts already made (${current.attempts})`);
      if (Object.keys(patch).length) await manager.update(ScheduledCheckIn, { id }, patch);
      return manager.findOneByOrFail(ScheduledCheckIn, { id });
    });
    const response = toCheckInResponse(checkIn);
    this.events.published([{ taskType: 'check_in', task: response }]);
    if (checkIn.status === 'pending' && checkIn.nextAttemptAt.getTime() <= this.clock.nowMs()) this.dispatcher.nudge();
    return response;
  }

  private async findOwned(actor: Actor, id: string): Promise<ScheduledCheckIn> {
    const checkIn = await this.dataSource.getRepository(ScheduledCheckIn).findOneBy(actor.role === 'admin' ? { id } : { id, userId: actor.id });
    if (!checkIn) throw new TaskNotFoundError('check-in', id);
    return checkIn;
  }
}
