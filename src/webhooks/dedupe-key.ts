import { createHash } from 'node:crypto';

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
