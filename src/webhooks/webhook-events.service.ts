import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { WebhookEvent, type WebhookEventStatus } from './entities/webhook-event.entity.js';
import { type WebhookEventResponse, toWebhookEventResponse } from './webhook-event.response.js';

/** Admin listing of stored deliveries, newest first, keyset-paged by (received_at, id). */
@Injectable()
export class WebhookEventsService {
  constructor(@InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>) {}

  async findPage(query: { status?: WebhookEventStatus; limit?: number; cursor?: string }): Promise<{ items: WebhookEventResponse[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const builder = this.events
      .createQueryBuilder('event')
      .orderBy('event.received_at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .limit(limit + 1);
    if (query.status) builder.andWhere('event.status = :status', { status: query.status });
    if (query.cursor) {
      const { receivedAt, id } = decodeCursor(query.cursor);
      builder.andWhere('(event.received_at, event.id) < (:receivedAt, :id)', { receivedAt, id });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toWebhookEventResponse),
      nextCursor: rows.length > limit && last ? Buffer.from(`${last.receivedAt.toISOString()}|${last.id}`).toString('base64url') : null,
    };
  }
}

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(iso ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(receivedAt.getTime())) throw new BadRequestException('cursor is not valid');
  return { receivedAt, id };
}
