import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { ElevenLabsModule } from '../elevenlabs/elevenlabs.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { SettingsModule } from '../settings/settings.module.js';
import { UsersModule } from '../users/users.module.js';
import { CALL_OUTCOME_HANDLER, SchedulingCallOutcomeHandler } from './call-outcome.handler.js';
import { CallbackStatsService } from './callback-stats.service.js';
import { CallDispatcher } from './call-dispatcher.js';
import { CallbacksService } from './callbacks.service.js';
import { CheckInsService } from './check-ins.service.js';
import { CallbacksController, CallTriggerController, CheckInsController } from './scheduling.controller.js';
import { CallAttempt } from './entities/call-attempt.entity.js';
import { CallbackTask } from './entities/callback-task.entity.js';
import { ScheduledCheckIn } from './entities/scheduled-check-in.entity.js';
import { SchedulingScheduler } from './scheduling.scheduler.js';
import { TaskEventsService } from './task-events.service.js';
import { TaskOutcomesService } from './task-outcomes.service.js';

/** Scheduled calls: callbacks and check-ins, dialled by the dispatcher exactly once per attempt. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CallbackTask, ScheduledCheckIn, CallAttempt]),
    UsersModule,
    ConversationsModule,
    DashboardModule,
    ElevenLabsModule,
    InsightsModule,
    SettingsModule,
  ],
  controllers: [CallbacksController, CheckInsController, CallTriggerController],
  providers: [
    { provide: CALL_OUTCOME_HANDLER, useClass: SchedulingCallOutcomeHandler },
    CallbacksService,
    CheckInsService,
    CallDispatcher,
    TaskEventsService,
    TaskOutcomesService,
    SchedulingScheduler,
    CallbackStatsService,
  ],
  exports: [CALL_OUTCOME_HANDLER, CallbacksService, CallDispatcher, CallbackStatsService],
})
export class SchedulingModule {}
