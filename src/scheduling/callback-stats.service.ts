import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface FailedCallback {
  id: string;
  userId: string | null;
  phoneNumber: string;
  reason: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  dueAt: string;
  failedAt: string;
}

/** Read-only counts and lists over callback_tasks for the admin dashboard (the scheduling module owns the table). */
@Injectable()
export class CallbackStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Callbacks still to be placed (`pending`) whose next attempt is before `before` (overdue ones included). */
  async countDue(before: Date): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM callback_tasks WHERE status = 'pending' AND next_attempt_at < $1`, [before]);
    return row.n;
  }

  /** Callbacks that ended `failed` (attempts used up) with their last change in [from, to). */
  async countFailed(from: Date, to: Date): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM callback_tasks WHERE status = 'failed' AND updated_at >= $1 AND updated_at < $2`,
      [from, to],
    );
    return row.n;
  }

  /** The most recently failed callbacks, newest first. */
  async findRecentFailed(limit: number): Promise<FailedCallback[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, user_id, phone_number, reason, attempts, max_attempts, last_error, due_at, updated_at
         FROM callback_tasks WHERE status = 'failed' ORDER BY updated_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      userId: (row.user_id as string | null) ?? null,
      phoneNumber: row.phone_number as string,
      reason: row.reason as string,
      attempts: row.attempts as number,
      maxAttempts: row.max_attempts as number,
      lastError: (row.last_error as string | null) ?? null,
      dueAt: (row.due_at as Date).toISOString(),
      failedAt: (row.updated_at as Date).toISOString(),
    }));
  }
}
