import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { UsersModule } from '../users/users.module.js';
import { CALL_OUTCOME_HANDLER, NoopCallOutcomeHandler } from './call-outcome.handler.js';
import { CallbackStatsService } from './callback-stats.service.js';
import { CallDispatcher } from './call-dispatcher.js';
import { CallbacksService } from './callbacks.service.js';
import { CallAttempt } from './entities/call-attempt.entity.js';
import { CallbackTask } from './entities/callback-task.entity.js';
import { ScheduledCheckIn } from './entities/scheduled-check-in.entity.js';
import { TaskEventsService } from './task-events.service.js';

/** Scheduled calls: callbacks and check-ins, dialled by the dispatcher exactly once per attempt. */
@Module({
  imports: [TypeOrmModule.forFeature([CallbackTask, ScheduledCheckIn, CallAttempt]), UsersModule, ConversationsModule],
  providers: [{ provide: CALL_OUTCOME_HANDLER, useClass: NoopCallOutcomeHandler }, CallbacksService, CallDispatcher, TaskEventsService, CallbackStatsService],
  exports: [CALL_OUTCOME_HANDLER, CallbacksService, CallbackStatsService],
})
export class SchedulingModule {}
