import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { ElevenLabsModule } from '../elevenlabs/elevenlabs.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ToolTokenService } from '../tools/tool-token.service.js';
import { UsersModule } from '../users/users.module.js';
import { CallsService } from './calls.service.js';
import { ConversationsController } from './conversations.controller.js';
import { ConversationsGateway } from './conversations.gateway.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationMessage } from './entities/conversation-message.entity.js';
import { ConversationSession } from './entities/conversation-session.entity.js';
import { ConversationSummary } from './entities/conversation-summary.entity.js';
import { SessionExpiryJob } from './session-expiry.job.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([ConversationSession, ConversationMessage, ConversationSummary]),
    AuthModule,
    UsersModule,
    RoomsModule,
    ElevenLabsModule,
    InsightsModule,
    DashboardModule,
  ],
  controllers: [ConversationsController],
  providers: [CallsService, ConversationsService, ConversationsGateway, SessionExpiryJob, ToolTokenService],
  // RealtimeEventsService is provided by the global RealtimeModule (src/realtime).
  exports: [CallsService, ConversationsService, ToolTokenService],
})
export class ConversationsModule {}
