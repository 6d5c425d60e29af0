import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { UsersModule } from '../users/users.module.js';
import { ToolTokenGuard } from './tool-token.guard.js';
import { ToolsController } from './tools.controller.js';
import { GetUserHistory } from './usecases/get-user-history.js';
import { SaveInsightFromTool } from './usecases/save-insight-from-tool.js';
import { ScheduleCallbackFromTool } from './usecases/schedule-callback-from-tool.js';

/** `/api/tools/*`: the agent's webhook tools (tool-token auth) and their definitions. */
@Module({
  imports: [ConversationsModule, InsightsModule, UsersModule, SchedulingModule],
  controllers: [ToolsController],
  providers: [ToolTokenGuard, GetUserHistory, SaveInsightFromTool, ScheduleCallbackFromTool],
})
export class ToolsModule {}
