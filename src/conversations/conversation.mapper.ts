import type { Room } from '../rooms/entities/room.entity.js';
import type { ConversationMessage } from './entities/conversation-message.entity.js';
import type { ConversationSession } from './entities/conversation-session.entity.js';
import type { ConversationSummary } from './entities/conversation-summary.entity.js';

export interface ConversationResponse {
  conversationId: string;
  sessionId: string;
  customCallId: string;
  elevenlabsConversationId: string | null;
  userId: string | null;
  room: { id: string; slug: string; name: string } | null;
  agentId: string | null;
  sessionType: string;
  channel: string;
  status: string;
  metadata: Record<string, unknown>;
  startedAt: string;
  endedAt: string | null;
}

export function toConversationResponse(session: ConversationSession, room?: Room | null): ConversationResponse {
  const joined = room ?? session.room ?? null;
  return {
    conversationId: session.id,
    sessionId: session.sessionId,
    customCallId: session.customCallId,
    elevenlabsConversationId: session.elevenlabsConversationId,
    userId: session.userId,
    room: joined ? { id: joined.id, slug: joined.slug, name: joined.name } : null,
    agentId: session.agentId,
    sessionType: session.sessionType,
    channel: session.channel,
    status: session.status,
    metadata: session.metadata,
    startedAt: session.startedAt.toISOString(),
    endedAt: session.endedAt?.toISOString() ?? null,
  };
}

export function toMessageResponse(message: ConversationMessage) {
  return {
    clientMessageId: message.clientMessageId,
    role: message.role,
    message: message.message,
    timeInCallSecs: message.timeInCallSecs,
    source: message.source,
    createdAt: message.createdAt.toISOString(),
  };
}

export function toSummaryResponse(summary: ConversationSummary) {
  return {
    elevenlabsConversationId: summary.conversationId,
    title: summary.title,
    summary: summary.summary,
    keyPoints: summary.keyPoints,
    actionItems: summary.actionItems,
    callSuccessful: summary.callSuccessful,
    durationSecs: summary.durationSecs,
    outcome: summary.outcome,
    intent: summary.intent,
    sentiment: summary.sentiment,
    startedAt: summary.startedAt?.toISOString() ?? null,
  };
}
