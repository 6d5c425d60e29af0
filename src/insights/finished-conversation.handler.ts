import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import type { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import type { User } from '../users/entities/user.entity.js';

/** A call that just finished and was stored (summary row written, session ended). */
export interface FinishedConversation {
  summary: ConversationSummary;
  /** null for calls that came through POST /api/calls or were not started by us and had no session. */
  session: ConversationSession | null;
  user: User | null;
  /** The raw ElevenLabs conversation (`post_call_transcription` data), null for POST /api/calls. */
  conversation: Record<string, unknown> | null;
  source: ConversationSummary['source'];
}

/**
 * The hand-off from webhook processing to the insights module. Called inside the processing transaction
 * (`manager`): throwing fails the event, which is then retried; so implementations must be idempotent by
 * `summary.conversationId`.
 */
export interface FinishedConversationHandler {
  conversationFinished(finished: FinishedConversation, manager: EntityManager): Promise<void>;
}

export const FINISHED_CONVERSATION_HANDLER = Symbol('FINISHED_CONVERSATION_HANDLER');

/** Default until the insights issue fills it: nothing to do yet. */
@Injectable()
export class NoopFinishedConversationHandler implements FinishedConversationHandler {
  async conversationFinished(): Promise<void> {}
}
