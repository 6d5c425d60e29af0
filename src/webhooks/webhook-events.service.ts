import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { type Page, fetchPage } from '../http/page-cursor.js';
import type { WebhookEventsQueryDto } from './dto/webhook-events-query.dto.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';
import { type WebhookEventResponse, toWebhookEventResponse } from './webhook-event.response.js';

/** Admin listing of stored deliveries, newest first, keyset-paged by (received_at, id). */
@Injectable()
export class WebhookEventsService {
  constructor(@InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>) {}

  findPage(query: WebhookEventsQueryDto): Promise<Page<WebhookEventResponse>> {
    const builder = this.events.createQueryBuilder('event');
    if (query.status) builder.andWhere('event.status = :status', { status: query.status });
    return fetchPage(builder, { timeColumn: 'received_at', timeOf: (event) => event.receivedAt }, query, toWebhookEventResponse);
  }
}
