import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RealtimeEvent as AnyRealtimeEvent } from '../realtime/realtime-event.js';
import { RealtimePublisher } from '../realtime/realtime-publisher.js';

export const USER_EVENTS = ['conversation_started', 'conversation_ended', 'conversation_error'] as const;
export const ADMIN_EVENTS = ['call_created', 'activity_created', 'task_updated'] as const;
export type UserEventName = (typeof USER_EVENTS)[number];
export type AdminEventName = (typeof ADMIN_EVENTS)[number];

export type RealtimeEvent = Extract<AnyRealtimeEvent, { audience: 'user' }> & { event: UserEventName } | Extract<AnyRealtimeEvent, { audience: 'admins' }> & { event: AdminEventName };

/**
 * What the WebSocket gateway delivers, on every instance: events for one person (only their sockets) and
 * events for admins. Published with NOTIFY (src/realtime): pass the `manager` of the transaction that writes
 * what the event announces, and it is delivered only if that transaction commits. Without a manager the event
 * is published on its own at once, and a failure is logged, not thrown (callers need not await it).
 */
@Injectable()
export class RealtimeEventsService {
  private readonly logger = new Logger(RealtimeEventsService.name);

  constructor(private readonly publisher: RealtimePublisher) {}

  toUser(userId: string, event: UserEventName, data: unknown, manager?: EntityManager): Promise<void> {
    return this.publish({ audience: 'user', userId, event, data }, manager);
  }

  toAdmins(event: AdminEventName, data: unknown, manager?: EntityManager): Promise<void> {
    return this.publish({ audience: 'admins', event, data }, manager);
  }

  /** Several events, published in the transaction of `manager` (one statement when they fit NOTIFY). */
  publishAll(events: RealtimeEvent[], manager: EntityManager): Promise<void> {
    return this.publisher.publishAll(events, manager);
  }

  private async publish(event: RealtimeEvent, manager: EntityManager | undefined): Promise<void> {
    if (manager) return this.publisher.publish(event, manager);
    try {
      await this.publisher.publish(event);
    } catch (error) {
      this.logger.error({ err: error }, `realtime event ${event.event} could not be published`);
    }
  }
}
