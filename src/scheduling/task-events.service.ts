import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { RealtimeEventsService } from '../conversations/realtime-events.service.js';
import { CallbackTask } from './entities/callback-task.entity.js';
import { ScheduledCheckIn } from './entities/scheduled-check-in.entity.js';
import { type CallbackResponse, type CheckInResponse, type TaskType, toCallbackResponse, toCheckInResponse } from './task.mapper.js';

export type TaskUpdate = { taskType: 'callback'; task: CallbackResponse } | { taskType: 'check_in'; task: CheckInResponse };
export interface TaskRef {
  taskType: TaskType;
  id: string;
}

/**
 * `task_updated` to admins: the task's response shape plus `taskType`. Published with the transaction
 * that changes the task (pg_notify on its connection), so it reaches sockets on every instance only if
 * that transaction commits — a rolled-back savepoint or transaction sends nothing.
 */
@Injectable()
export class TaskEventsService {
  constructor(private readonly realtime: RealtimeEventsService) {}

  /** For writes that already committed on their own. */
  published(updates: TaskUpdate[]): void {
    for (const update of updates) void this.realtime.toAdmins('task_updated', { ...update.task, taskType: update.taskType });
  }

  /** Reads the tasks as `manager`'s transaction sees them and publishes them inside it. */
  async publishWith(manager: EntityManager, refs: TaskRef[]): Promise<void> {
    if (!refs.length) return;
    const ids = (type: TaskType) => [...new Set(refs.filter((ref) => ref.taskType === type).map((ref) => ref.id))];
    const callbackIds = ids('callback');
    const checkInIds = ids('check_in');
    const callbacks = callbackIds.length ? await manager.findBy(CallbackTask, { id: In(callbackIds) }) : [];
    const checkIns = checkInIds.length ? await manager.findBy(ScheduledCheckIn, { id: In(checkInIds) }) : [];
    for (const task of callbacks) await this.realtime.toAdmins('task_updated', { ...toCallbackResponse(task), taskType: 'callback' }, manager);
    for (const task of checkIns) await this.realtime.toAdmins('task_updated', { ...toCheckInResponse(task), taskType: 'check_in' }, manager);
  }
}
