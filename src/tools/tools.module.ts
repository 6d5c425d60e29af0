import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { UsersModule } from '../users/users.module.js';
import { ToolTokenGuard } from './tool-token.guard.js';
import { ToolsController } from './tools.controller.js';
import { GetUserHistory } from './usecases/get-user-history.js';

/** `/api/tools/*`: the agent's webhook tools (tool-token auth) and their definitions. */
@Module({
  imports: [ConversationsModule, UsersModule],
  controllers: [ToolsController],
  providers: [ToolTokenGuard, GetUserHistory],
})
export class ToolsModule {}
