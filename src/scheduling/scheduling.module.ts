import { Module } from '@nestjs/common';
import { CALL_OUTCOME_HANDLER, NoopCallOutcomeHandler } from './call-outcome.handler.js';

/** Scheduled calls. For now only the hand-off the webhooks module calls; the scheduling issue fills it. */
@Module({
  providers: [{ provide: CALL_OUTCOME_HANDLER, useClass: NoopCallOutcomeHandler }],
  exports: [CALL_OUTCOME_HANDLER],
})
export class SchedulingModule {}
