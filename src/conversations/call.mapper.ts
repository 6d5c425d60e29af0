import type { ConversationSummary } from './entities/conversation-summary.entity.js';

/** A finished call as admins see it: `GET /api/calls` items and the `call_created` WebSocket event (design.md). */
export interface CallResponse {
  id: string;
  conversationId: string;
  title: string | null;
  summary: string | null;
  outcome: string | null;
  intent: string | null;
  sentiment: string | null;
  callerName: string | null;
  fromNumber: string | null;
  toNumber: string | null;
  durationSecs: number | null;
  startedAt: string | null;
  /** The list's order: startedAt, else when the call was stored. */
  calledAt: string | null;
  roomId: string | null;
  userId: string | null;
  source: ConversationSummary['source'];
}

export function toCallResponse(summary: ConversationSummary): CallResponse {
  return {
    id: summary.id,
    conversationId: summary.conversationId,
    title: summary.title,
    summary: summary.summary,
    outcome: summary.outcome,
    intent: summary.intent,
    sentiment: summary.sentiment,
    callerName: summary.callerName,
    fromNumber: summary.fromNumber,
    toNumber: summary.toNumber,
    durationSecs: summary.durationSecs,
    startedAt: summary.startedAt?.toISOString() ?? null,
    calledAt: summary.calledAt?.toISOString() ?? null,
    roomId: summary.roomId,
    userId: summary.userId,
    source: summary.source,
  };
}
