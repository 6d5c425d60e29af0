import { Injectable } from '@nestjs/common';
import { RealtimeEventsService } from '../conversations/realtime-events.service.js';
import type { CallbackResponse, CheckInResponse, TaskType } from './task.mapper.js';

export type TaskUpdate = { taskType: 'callback'; task: CallbackResponse } | { taskType: 'check_in'; task: CheckInResponse };

/** `task_updated` to admins: the task's response shape plus `taskType`. Call only after the write committed. */
@Injectable()
export class TaskEventsService {
  constructor(private readonly realtime: RealtimeEventsService) {}

  published(updates: TaskUpdate[]): void {
    for (const update of updates) this.realtime.toAdmins('task_updated', { ...update.task, taskType: update.taskType satisfies TaskType });
  }
}
