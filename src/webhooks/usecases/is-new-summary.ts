import type { ConversationSummary } from '../../conversations/entities/conversation-summary.entity.js';

/**
 * True when the summary upsert of this transaction inserted the row: both timestamps are then the inserting
 * transaction's now(). Processing the same conversation again (a later transaction, even a concurrent one
 * waiting on the unique index) takes the ON CONFLICT update, which moves `updated_at` only.
 */
export function isNewSummary(summary: Pick<ConversationSummary, 'createdAt' | 'updatedAt'>): boolean {
  return summary.createdAt.getTime() === summary.updatedAt.getTime();
}
