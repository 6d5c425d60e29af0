import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { UsersModule } from '../users/users.module.js';
import { ActionItem } from './entities/action-item.entity.js';
import { UserInsight } from './entities/user-insight.entity.js';
import { UserProfileSnapshot } from './entities/user-profile-snapshot.entity.js';
import { ExtractInsightsOnFinishedConversation, FINISHED_CONVERSATION_HANDLER } from './finished-conversation.handler.js';
import { InsightsController } from './insights.controller.js';
import { OnboardingService } from './onboarding.service.js';
import { PersonalisationService } from './personalisation.service.js';
import { ProfileService } from './profile.service.js';
import { warmUpTextAnalysis } from './text-analysis.js';
import { UserInsightsService } from './user-insights.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserInsight, ActionItem, UserProfileSnapshot, ConversationSummary]), UsersModule, DashboardModule],
  controllers: [InsightsController],
  providers: [
    PersonalisationService,
    ProfileService,
    UserInsightsService,
    OnboardingService,
    { provide: FINISHED_CONVERSATION_HANDLER, useClass: ExtractInsightsOnFinishedConversation },
  ],
  exports: [PersonalisationService, ProfileService, UserInsightsService, FINISHED_CONVERSATION_HANDLER],
})
export class InsightsModule implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    // The NLP model takes a quarter of a second to load: at start, not on the first processed call.
    warmUpTextAnalysis();
  }
}
