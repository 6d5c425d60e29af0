import type { ObjectLiteral, Repository } from 'typeorm';
import { fetchPage, type Page } from '../http/page-cursor.js';
import type { Actor, CallbackListQuery } from './callbacks.service.js';
import { CALLBACK_STATUSES } from './entities/callback-task.entity.js';
import { InvalidTaskFieldError } from './scheduling.errors.js';

/** A page of callbacks or check-ins, newest first: a person sees their own; an admin everyone's, or one user's. */
export function fetchTaskPage<T extends ObjectLiteral & { id: string; createdAt: Date }, R>(
  repository: Repository<T>,
  actor: Actor,
  query: CallbackListQuery,
  toResponse: (task: T) => R,
): Promise<Page<R>> {
  const builder = repository.createQueryBuilder('task');
  if (actor.role !== 'admin') builder.andWhere('task.user_id = :owner', { owner: actor.id });
  else if (query.userId) builder.andWhere('task.user_id = :userId', { userId: query.userId });
  if (query.status) {
    if (!CALLBACK_STATUSES.includes(query.status)) throw new InvalidTaskFieldError('status', `must be one of ${CALLBACK_STATUSES.join(', ')}`);
    builder.andWhere('task.status = :status', { status: query.status });
  }
  return fetchPage(builder, { timeColumn: 'created_at', timeOf: (task) => task.createdAt }, query, toResponse);
}
