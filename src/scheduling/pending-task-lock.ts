import type { EntityManager } from 'typeorm';
import { TaskNotChangeableError, TaskNotFoundError } from './scheduling.errors.js';

/**
 * Locks a task row for an API change without waiting: a claim holds the row while it marks it dialing,
 * and that answers 409 rather than a wait. Then only a `pending` task may change.
 */
export async function lockPendingTask(manager: EntityManager, table: 'callback_tasks' | 'scheduled_check_ins', id: string, what: string): Promise<void> {
  const kind = table === 'callback_tasks' ? 'callback' : 'check-in';
  let rows: Array<{ status: string }>;
  try {
    rows = await manager.query(`SELECT status FROM ${table} WHERE id = $1 FOR UPDATE NOWAIT`, [id]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') throw new TaskNotChangeableError(`this ${kind} is being dialled right now and cannot be ${what}`);
    throw error;
  }
  if (!rows.length) throw new TaskNotFoundError(kind, id);
  const status = rows[0].status;
  if (status === 'pending') return;
  throw new TaskNotChangeableError(
    status === 'dialing' || status === 'in_progress'
      ? `this ${kind} is being dialled (${status}) and cannot be ${what}`
      : `this ${kind} is ${status}; only a pending ${kind} can be ${what}`,
  );
}
