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

  /** The deliveries about one call (ElevenLabs conversation id, or the call_id of POST /api/calls), oldest first. */
  async findForConversation(conversationId: string): Promise<WebhookEventResponse[]> {
    const events = await this.events
      .createQueryBuilder('event')
      .where(`(event.payload -> 'data' ->> 'conversation_id' = :conversationId OR event.payload ->> 'call_id' = :conversationId)`, { conversationId })
      .orderBy('event.received_at', 'ASC')
      .getMany();
    return events.map(toWebhookEventResponse);
  }
}
