import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type EntitySubscriberInterface, In, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
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
 * `task_updated` to admins: the task's response shape plus `taskType`, only once the write committed.
 * Writes inside someone else's transaction (webhook processing) queue the task ids; when that
 * transaction commits, the tasks are read again and their committed state is sent (a savepoint rolled
 * back inside it then yields an event showing the unchanged task, never an uncommitted one).
 */
@Injectable()
export class TaskEventsService implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TaskEventsService.name);
  private readonly queued = new WeakMap<QueryRunner, TaskRef[]>();
  private readonly reading = new Set<Promise<void>>();

  constructor(
    private readonly realtime: RealtimeEventsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Lets reads for events finish before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.reading]);
  }

  /** Sends updates whose write has already committed. */
  published(updates: TaskUpdate[]): void {
    for (const update of updates) this.realtime.toAdmins('task_updated', { ...update.task, taskType: update.taskType });
  }

  /** Sends the tasks' state after `manager`'s transaction commits (at once when it has none). */
  afterCommit(manager: EntityManager, refs: TaskRef[]): void {
    if (!refs.length) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return void this.publishCurrent(refs);
    const list = this.queued.get(runner) ?? [];
    list.push(...refs);
    this.queued.set(runner, list);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return; // a savepoint released; the outer transaction is still open
    const refs = this.queued.get(event.queryRunner);
    if (!refs) return;
    this.queued.delete(event.queryRunner);
    void this.publishCurrent(refs);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.queued.delete(event.queryRunner);
  }

  private publishCurrent(refs: TaskRef[]): Promise<void> {
    const reading: Promise<void> = this.readAndPublish(refs).finally(() => this.reading.delete(reading));
    this.reading.add(reading);
    return reading;
  }

  private async readAndPublish(refs: TaskRef[]): Promise<void> {
    try {
      const ids = (type: TaskType) => [...new Set(refs.filter((ref) => ref.taskType === type).map((ref) => ref.id))];
      const callbackIds = ids('callback');
      const checkInIds = ids('check_in');
      const [callbacks, checkIns] = await Promise.all([
        callbackIds.length ? this.dataSource.getRepository(CallbackTask).findBy({ id: In(callbackIds) }) : [],
        checkInIds.length ? this.dataSource.getRepository(ScheduledCheckIn).findBy({ id: In(checkInIds) }) : [],
      ]);
      this.published([
        ...callbacks.map((task) => ({ taskType: 'callback' as const, task: toCallbackResponse(task) })),
        ...checkIns.map((task) => ({ taskType: 'check_in' as const, task: toCheckInResponse(task) })),
      ]);
    } catch (error) {
      this.logger.warn(`task_updated not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
