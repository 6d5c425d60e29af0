import { Module } from '@nestjs/common';
import { CALL_OUTCOME_HANDLER, NoopCallOutcomeHandler } from './call-outcome.handler.js';
import { CallbackStatsService } from './callback-stats.service.js';

/** Scheduled calls. For now only the hand-off the webhooks module calls; the scheduling issue fills it. */
@Module({
  providers: [{ provide: CALL_OUTCOME_HANDLER, useClass: NoopCallOutcomeHandler }, CallbackStatsService],
  exports: [CALL_OUTCOME_HANDLER, CallbackStatsService],
})
export class SchedulingModule {}
