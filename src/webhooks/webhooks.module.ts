import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationMessage } from '../conversations/entities/conversation-message.entity.js';
import { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { ElevenLabsModule } from '../elevenlabs/elevenlabs.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { UsersModule } from '../users/users.module.js';
import { ConversationAudioController } from './conversation-audio.controller.js';
import { ConversationAudioService } from './conversation-audio.service.js';
import { CallTextReader } from './call-text-reader.js';
import { ConversationInitController } from './conversation-init.controller.js';
import { ElevenLabsWebhookController } from './elevenlabs-webhook.controller.js';
import { ConversationAudio } from './entities/conversation-audio.entity.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';
import { IngestCallSummary } from './usecases/ingest-call-summary.js';
import { IngestPostCallEvent } from './usecases/ingest-post-call-event.js';
import { ReconcileMissedConversations } from './usecases/reconcile-missed-conversations.js';
import { RecordCallInitiationFailure } from './usecases/record-call-initiation-failure.js';
import { StoreCallAudio } from './usecases/store-call-audio.js';
import { WebhookEventProcessor } from './webhook-event.processor.js';
import { WebhookEventsController } from './webhook-events.controller.js';
import { WebhookEventsService } from './webhook-events.service.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { WebhookIngestService } from './webhook-ingest.service.js';
import { WebhookEventWriter } from './webhook-event.writer.js';
import { WebhooksScheduler } from './webhooks.scheduler.js';

/** Everything ElevenLabs sends us: signed deliveries stored first, processed after, missed ones reconciled. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEvent, ConversationAudio, ConversationSession, ConversationMessage, ConversationSummary]),
    ElevenLabsModule,
    ConversationsModule,
    DashboardModule,
    InsightsModule,
    SchedulingModule,
    UsersModule,
  ],
  controllers: [ElevenLabsWebhookController, ConversationInitController, WebhookEventsController, ConversationAudioController],
  providers: [
    WebhookIngestService,
    WebhookEventWriter,
    WebhookEventProcessor,
    WebhookEventsService,
    ConversationAudioService,
    CallTextReader,
    IngestPostCallEvent,
    StoreCallAudio,
    RecordCallInitiationFailure,
    IngestCallSummary,
    ReconcileMissedConversations,
    WebhooksScheduler,
  ],
  exports: [WebhookEventProcessor, ReconcileMissedConversations, WebhookEventsService, ConversationAudioService],
})
export class WebhooksModule {}
