import { createHash } from 'node:crypto';
import { callerOf } from './post-call-event.mapper.js';

/** Event types we process; anything else is stored as `ignored`. */
export const ELEVENLABS_EVENT_TYPES = ['post_call_transcription', 'post_call_audio', 'call_initiation_failure'] as const;
export type ElevenLabsEventType = (typeof ELEVENLABS_EVENT_TYPES)[number];
/** The event type of POST /api/calls deliveries. */
export const CALL_SUMMARY_EVENT = 'call_summary';

export function isKnownEventType(type: string): type is ElevenLabsEventType {
  return (ELEVENLABS_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * `type:conversation id` when the delivery names a conversation (so a redelivery, or the reconciler finding
 * the same call, is stored once), else `type:sha256:<hash of the raw body>`.
 */
export function dedupeKeyFor(type: string, conversationId: unknown, rawBody: Buffer | string): string {
  const safeType = type.slice(0, 64);
  if (typeof conversationId === 'string' && conversationId.trim()) return `${safeType}:${conversationId.trim()}`.slice(0, 200);
  return `${safeType}:sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/**
 * Who a delivery is about, as a number (0 … 2³¹−1) stored with it: the processor's workers each take their own
 * share of callers (`caller_hash % workers`), so that two batches of one process do not want the same person at
 * once (the second would have to put the call back and claim it again). Read from what the delivery names: a user
 * id, the widget session, the caller's number; else the delivery itself (no person known, any worker will do).
 */
export function callerHashFor(type: string, data: Record<string, unknown>, dedupeKey: string): number {
  const caller = isKnownEventType(type) ? callerOf(data) : null;
  const key = caller ? (caller.userIds[0] ?? caller.sessionId ?? caller.externalNumber) : null;
  return createHash('sha1').update(key?.trim() || dedupeKey).digest().readUInt32BE(0) >>> 1;
}
