import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { UserInsight } from './entities/user-insight.entity.js';
import { FINISHED_CONVERSATION_HANDLER, NoopFinishedConversationHandler } from './finished-conversation.handler.js';
import { PersonalisationService } from './personalisation.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserInsight, ConversationSummary])],
  providers: [PersonalisationService, { provide: FINISHED_CONVERSATION_HANDLER, useClass: NoopFinishedConversationHandler }],
  exports: [PersonalisationService, FINISHED_CONVERSATION_HANDLER],
})
export class InsightsModule {}
