import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { DeferredWrites } from '../database/deferred-writes.js';
import { RealtimePublisher } from '../realtime/realtime-publisher.js';
import { type Page, fetchPage } from '../http/page-cursor.js';
import { type ActivityResponse, toActivityResponse } from './activity.response.js';
import { ActivityEvent } from './entities/activity-event.entity.js';

/** The `activity_created` WebSocket payload. */
export interface ActivityCreatedData {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Activity rows in one INSERT; each payload gets the `createdAt` the database gave its row (the transaction's time). */
async function insertActivityRows(payloads: ActivityCreatedData[], manager: EntityManager): Promise<void> {
  const rows: Array<{ id: string; created_at: Date }> = await manager.query(
    `INSERT INTO activity_events (id, type, title, data)
     SELECT r.id, r.type, r.title, r.data FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, type varchar, title varchar, data jsonb)
     RETURNING id, created_at`,
    [JSON.stringify(payloads.map(({ id, type, title, data }) => ({ id, type, title, data })))],
  );
  const createdAt = new Map(rows.map((row) => [row.id, row.created_at.toISOString()]));
  for (const payload of payloads) payload.createdAt = createdAt.get(payload.id)!;
}

/** The dashboard's activity feed: a row per event, announced to admin sockets on every instance. */
@Injectable()
export class ActivityService {
  constructor(
    @InjectRepository(ActivityEvent) private readonly events: Repository<ActivityEvent>,
    private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * Pass `manager` to write inside the caller's transaction: `activity_created` is published in that
   * transaction too, so it reaches sockets only if the transaction commits. Without one, the row and the
   * event commit together on their own.
   */
  async record(type: string, title: string, data: Record<string, unknown> = {}, manager?: EntityManager): Promise<ActivityEvent> {
    if (!manager) return this.events.manager.transaction((own) => this.record(type, title, data, own));
    const repository = manager.getRepository(ActivityEvent);
    const event = await repository.save(repository.create({ type, title: title.slice(0, 500), data }));
    const payload: ActivityCreatedData = { id: event.id, type: event.type, title: event.title, data: event.data, createdAt: event.createdAt.toISOString() };
    await this.realtime.publish({ audience: 'admins', event: 'activity_created', data: payload }, manager);
    return event;
  }

  /**
   * The row only, in the caller's transaction, with its `activity_created` event for the caller to publish in
   * that transaction (with others, in one statement). With `writes` (a processing batch) the row is written
   * with the batch's others in one INSERT; the event's `createdAt` is filled in then, so publish it through the
   * same `writes`, added after this call (their groups are written in the order they were first added to).
   */
  async recordQuietly(
    type: string,
    title: string,
    data: Record<string, unknown>,
    manager: EntityManager,
    writes: DeferredWrites | null = null,
  ): Promise<{ audience: 'admins'; event: 'activity_created'; data: ActivityCreatedData }> {
    const payload: ActivityCreatedData = { id: randomUUID(), type, title: title.slice(0, 500), data, createdAt: '' };
    if (writes) writes.add('activity_events', payload, insertActivityRows);
    else await insertActivityRows([payload], manager);
    return { audience: 'admins', event: 'activity_created', data: payload };
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
