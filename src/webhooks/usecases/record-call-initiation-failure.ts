import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConversationSession } from '../../conversations/entities/conversation-session.entity.js';
import { ActivityService } from '../../dashboard/activity.service.js';
import { CALL_OUTCOME_HANDLER, type CallOutcomeHandler } from '../../scheduling/call-outcome.handler.js';

/** `call_initiation_failure`: an outbound call never connected. Scheduling decides about the next try. */
@Injectable()
export class RecordCallInitiationFailure {
  constructor(
    private readonly activity: ActivityService,
    @Inject(CALL_OUTCOME_HANDLER) private readonly callOutcomes: CallOutcomeHandler,
  ) {}

  async execute(data: Record<string, unknown>, manager: EntityManager): Promise<void> {
    const conversationId = typeof data.conversation_id === 'string' ? data.conversation_id : null;
    const failureReason = typeof data.failure_reason === 'string' ? data.failure_reason : 'unknown';
    const metadata = data.metadata && typeof data.metadata === 'object' ? (data.metadata as Record<string, unknown>) : null;
    if (conversationId) {
      await manager.update(ConversationSession, { elevenlabsConversationId: conversationId, status: 'active' }, { status: 'failed' });
    }
    await this.callOutcomes.callInitiationFailed({ conversationId, agentId: typeof data.agent_id === 'string' ? data.agent_id : null, failureReason, metadata }, manager);
    await this.activity.record('call_initiation_failed', `Call did not connect (${failureReason})`, { conversationId, failureReason }, manager);
  }
}
