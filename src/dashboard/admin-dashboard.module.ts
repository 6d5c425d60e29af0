import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AdminPageService } from './admin-page.service.js';
import { DashboardPageController } from './dashboard-page.controller.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardModule } from './dashboard.module.js';
import { DashboardService } from './dashboard.service.js';

/**
 * GET /api/dashboard, /api/calls, /api/activity and the /admin pages. Separate from DashboardModule (the
 * activity feed) because it reads from conversations, scheduling and webhooks, which themselves import the feed.
 */
@Module({
  imports: [DashboardModule, ConversationsModule, SchedulingModule, WebhooksModule],
  controllers: [DashboardController, DashboardPageController],
  providers: [DashboardService, AdminPageService],
})
export class AdminDashboardModule {}
