import type { ActivityEvent } from './entities/activity-event.entity.js';

/** An activity feed entry: GET /api/activity items and the `activity_created` WebSocket event. */
export interface ActivityResponse {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export function toActivityResponse(event: ActivityEvent): ActivityResponse {
  return { id: event.id, type: event.type, title: event.title, data: event.data, createdAt: event.createdAt.toISOString() };
}
