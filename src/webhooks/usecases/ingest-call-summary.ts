import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { toCallResponse } from '../../conversations/call.mapper.js';
import { ConversationSummary } from '../../conversations/entities/conversation-summary.entity.js';
import { RealtimeEventsService } from '../../conversations/realtime-events.service.js';
import { ActivityService } from '../../dashboard/activity.service.js';
import { FINISHED_CONVERSATION_HANDLER, type FinishedConversationHandler } from '../../insights/finished-conversation.handler.js';
import { User } from '../../users/entities/user.entity.js';
import { toE164 } from '../../users/users.service.js';
import { type FlatCallSummary, summaryFieldsOfFlatCall } from '../call-summary.mapper.js';
import { isNewSummary } from './is-new-summary.js';

/** POST /api/calls (the dashboard seed's flat format) → the same summary row a post-call webhook gives. */
@Injectable()
export class IngestCallSummary {
  constructor(
    private readonly activity: ActivityService,
    private readonly realtime: RealtimeEventsService,
    @Inject(FINISHED_CONVERSATION_HANDLER) private readonly finished: FinishedConversationHandler,
  ) {}

  async execute(call: FlatCallSummary, manager: EntityManager): Promise<ConversationSummary> {
    if (typeof call.call_id !== 'string' || !call.call_id) throw new Error('call summary without call_id');
    const fields = summaryFieldsOfFlatCall(call);
    let user: User | null = null;
    for (const number of [call.from_number, call.to_number]) {
      const phone = toE164(number);
      user = phone ? await manager.findOne(User, { where: { phoneNumber: phone }, order: { updatedAt: 'DESC' } }) : null;
      if (user) break;
    }
    const summaries = manager.getRepository(ConversationSummary);
    await summaries.upsert(
      { ...fields, userId: user?.id ?? null, userName: user?.displayName ?? fields.callerName ?? null } as QueryDeepPartialEntity<ConversationSummary>,
      { conflictPaths: ['conversationId'] },
    );
    const summary = await summaries.findOneByOrFail({ conversationId: call.call_id });
    if (isNewSummary(summary)) await this.realtime.toAdmins('call_created', toCallResponse(summary), manager);
    await this.activity.record(
      'call_completed',
      `Call finished: ${summary.callerName ?? summary.fromNumber ?? summary.conversationId} (${summary.outcome ?? 'no outcome'})`,
      { conversationId: summary.conversationId, userId: user?.id ?? null, outcome: summary.outcome, intent: summary.intent, source: 'calls_api' },
      manager,
    );
    await this.finished.conversationFinished({ summary, session: null, user, conversation: null, source: 'calls_api' }, manager);
    return summary;
  }
}
