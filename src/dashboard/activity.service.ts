import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, fetchPage } from '../http/page-cursor.js';
import { type ActivityResponse, toActivityResponse } from './activity.response.js';
import { ActivityEvent } from './entities/activity-event.entity.js';

/** The dashboard's activity feed: a row per event, and a stream the WebSocket gateway forwards to admins. */
@Injectable()
export class ActivityService {
  /** Emits each event after it is stored (in this process). */
  readonly created$ = new Subject<ActivityEvent>();

  constructor(@InjectRepository(ActivityEvent) private readonly events: Repository<ActivityEvent>) {}

  /** Pass `manager` to write inside the caller's transaction; the event is emitted once `record` resolves. */
  async record(type: string, title: string, data: Record<string, unknown> = {}, manager?: EntityManager): Promise<ActivityEvent> {
    const repository = manager ? manager.getRepository(ActivityEvent) : this.events;
    const event = await repository.save(repository.create({ type, title: title.slice(0, 500), data }));
    this.created$.next(event);
    return event;
  }

  findRecent(limit: number, before?: Date): Promise<ActivityEvent[]> {
    const query = this.events.createQueryBuilder('event').orderBy('event.created_at', 'DESC').addOrderBy('event.id', 'DESC').limit(limit);
    if (before) query.where('event.created_at < :before', { before });
    return query.getMany();
  }

  /** GET /api/activity: newest first, keyset-paged by (created_at, id), optionally one `type`. */
  findPage(query: { type?: string; limit?: number; cursor?: string }): Promise<Page<ActivityResponse>> {
    const builder = this.events.createQueryBuilder('event');
    if (query.type) builder.andWhere('event.type = :type', { type: query.type });
    return fetchPage(builder, { timeColumn: 'created_at', timeOf: (event) => event.createdAt }, query, toActivityResponse);
  }
}
