import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { decodeCursor, toPage } from '../http/page-cursor.js';
import { DEFAULT_PAGE_SIZE } from '../http/page-query.dto.js';
import type { WebhookEventsQueryDto } from './dto/webhook-events-query.dto.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';
import { type WebhookEventResponse, toWebhookEventResponse } from './webhook-event.response.js';

/** Admin listing of stored deliveries, newest first, keyset-paged by (received_at, id). */
@Injectable()
export class WebhookEventsService {
  constructor(@InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>) {}

  async findPage(query: WebhookEventsQueryDto): Promise<{ items: WebhookEventResponse[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor);
    const builder = this.events
      .createQueryBuilder('event')
      .orderBy('event.received_at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .limit(limit + 1);
    if (query.status) builder.andWhere('event.status = :status', { status: query.status });
    if (after) builder.andWhere('(event.received_at, event.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await builder.getMany();
    return toPage(rows, limit, (event) => ({ at: event.receivedAt, id: event.id }), toWebhookEventResponse);
  }
}
