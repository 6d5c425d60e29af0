import { Global, Module } from '@nestjs/common';
import { RealtimeEventsService } from '../conversations/realtime-events.service.js';
import { RealtimeListener } from './realtime-listener.js';
import { RealtimePublisher } from './realtime-publisher.js';

/**
 * Live events across instances through PostgreSQL (NOTIFY in the writing transaction, one LISTEN connection
 * per process). Global: conversations, webhooks, dashboard and scheduling all publish.
 */
@Global()
@Module({
  providers: [RealtimePublisher, RealtimeListener, RealtimeEventsService],
  exports: [RealtimePublisher, RealtimeListener, RealtimeEventsService],
})
export class RealtimeModule {}
