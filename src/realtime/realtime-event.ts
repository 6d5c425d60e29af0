/** The one channel every instance LISTENs on. */
export const REALTIME_CHANNEL = 'convai_realtime';

/**
 * NOTIFY payloads must be shorter than 8000 bytes (PostgreSQL's default build); larger events go through
 * `realtime_outbox` and the notification carries only the row id.
 */
export const MAX_NOTIFY_BYTES = 7999;

/** An event for one person's sockets, or for every admin socket, on every instance. */
export type RealtimeEvent =
  | { audience: 'user'; userId: string; event: string; data: unknown }
  | { audience: 'admins'; event: string; data: unknown };

/** What travels in a NOTIFY: the event itself, or a pointer to its outbox row. */
export type RealtimeWireMessage = RealtimeEvent | { audience: RealtimeEvent['audience']; userId?: string; event: string; outboxId: string };
