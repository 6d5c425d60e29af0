import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { UserInsight } from './entities/user-insight.entity.js';
import { PersonalisationService } from './personalisation.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserInsight, ConversationSummary])],
  providers: [PersonalisationService],
  exports: [PersonalisationService],
})
export class InsightsModule {}
