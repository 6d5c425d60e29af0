import type { WebhookEvent } from './entities/webhook-event.entity.js';

export interface WebhookEventResponse {
  id: string;
  eventType: string;
  source: string;
  status: string;
  dedupeKey: string;
  conversationId: string | null;
  attempts: number;
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
  nextAttemptAt: string | null;
}

/** What admins see of a stored delivery: no payload (transcripts, audio) in lists. */
export function toWebhookEventResponse(event: WebhookEvent): WebhookEventResponse {
  const data = (event.payload?.data ?? {}) as Record<string, unknown>;
  const conversationId = typeof data.conversation_id === 'string' ? data.conversation_id : typeof event.payload?.call_id === 'string' ? (event.payload.call_id as string) : null;
  return {
    id: event.id,
    eventType: event.eventType,
    source: event.source,
    status: event.status,
    dedupeKey: event.dedupeKey,
    conversationId,
    attempts: event.attempts,
    error: event.error,
    receivedAt: event.receivedAt.toISOString(),
    processedAt: event.processedAt?.toISOString() ?? null,
    nextAttemptAt: event.status === 'failed' || event.status === 'pending' ? event.nextAttemptAt.toISOString() : null,
  };
}
