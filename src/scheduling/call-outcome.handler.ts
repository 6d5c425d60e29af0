import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A `call_initiation_failure` webhook: an outbound call that never connected. */
export interface CallInitiationFailure {
  conversationId: string | null;
  agentId: string | null;
  /** `busy` | `no-answer` | `unknown` … as ElevenLabs sends it */
  failureReason: string;
  /** `data.metadata` as delivered (`{ type: 'twilio' | 'sip', body }`). */
  metadata: Record<string, unknown> | null;
}

/**
 * The hand-off from webhook processing to the scheduling module (which fills it): failed dials get their
 * next attempt, finished calls complete their task. Called inside the processing transaction; throwing
 * fails the event (retried), so implementations must be idempotent by conversation id.
 */
export interface CallOutcomeHandler {
  callInitiationFailed(failure: CallInitiationFailure, manager: EntityManager): Promise<void>;
  /** A post-call transcription arrived for this conversation (it may be one an outbound dial returned). */
  callCompleted(conversationId: string, manager: EntityManager): Promise<void>;
}

export const CALL_OUTCOME_HANDLER = Symbol('CALL_OUTCOME_HANDLER');

/** Default until the scheduling issue fills it. */
@Injectable()
export class NoopCallOutcomeHandler implements CallOutcomeHandler {
  async callInitiationFailed(): Promise<void> {}
  async callCompleted(): Promise<void> {}
}
