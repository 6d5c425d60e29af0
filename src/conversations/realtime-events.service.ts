import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

export const USER_EVENTS = ['conversation_started', 'conversation_ended', 'conversation_error'] as const;
export const ADMIN_EVENTS = ['call_created', 'activity_created', 'task_updated'] as const;
export type UserEventName = (typeof USER_EVENTS)[number];
export type AdminEventName = (typeof ADMIN_EVENTS)[number];

export type RealtimeEvent =
  | { audience: 'user'; userId: string; event: UserEventName; data: unknown }
  | { audience: 'admins'; event: AdminEventName; data: unknown };

/**
 * What the WebSocket gateway delivers: events for one person (only their sockets) and events for admins.
 * Other modules (webhooks, scheduling) publish `call_created` / `task_updated` here. In this process only:
 * fanning out across instances (LISTEN/NOTIFY) is not built yet.
 */
@Injectable()
export class RealtimeEventsService {
  readonly events$ = new Subject<RealtimeEvent>();

  toUser(userId: string, event: UserEventName, data: unknown): void {
    this.events$.next({ audience: 'user', userId, event, data });
  }

  toAdmins(event: AdminEventName, data: unknown): void {
    this.events$.next({ audience: 'admins', event, data });
  }
}
