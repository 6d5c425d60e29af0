import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { RealtimeOutbox } from './entities/realtime-outbox.entity.js';
import { MAX_NOTIFY_BYTES, REALTIME_CHANNEL, type RealtimeEvent, type RealtimeWireMessage } from './realtime-event.js';

const OUTBOX_RETENTION_MS = 60 * 60 * 1000;

/**
 * Publishes with `pg_notify` on the given transaction's connection: PostgreSQL delivers a notification
 * only when that transaction commits (a rolled-back one reaches nobody), to every listening instance.
 * Without a manager, the NOTIFY runs on its own (autocommit) and is delivered at once.
 */
@Injectable()
export class RealtimePublisher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async publish(event: RealtimeEvent, manager?: EntityManager): Promise<void> {
    const inline = JSON.stringify(event);
    if (Buffer.byteLength(inline, 'utf8') <= MAX_NOTIFY_BYTES) {
      await (manager ?? this.dataSource.manager).query('SELECT pg_notify($1, $2)', [REALTIME_CHANNEL, inline]);
      return;
    }
    // Too large for NOTIFY: the row and the notification commit (or roll back) together.
    if (manager) return this.publishThroughOutbox(event, manager);
    await this.dataSource.transaction((own) => this.publishThroughOutbox(event, own));
  }

  /** Several events of one transaction; those that fit NOTIFY go in one statement (in order). */
  async publishAll(events: RealtimeEvent[], manager: EntityManager): Promise<void> {
    const inline: string[] = [];
    for (const event of events) {
      const message = JSON.stringify(event);
      if (Buffer.byteLength(message, 'utf8') <= MAX_NOTIFY_BYTES) inline.push(message);
      else await this.publishThroughOutbox(event, manager);
    }
    if (inline.length === 1) await manager.query('SELECT pg_notify($1, $2)', [REALTIME_CHANNEL, inline[0]]);
    else if (inline.length) await manager.query('SELECT pg_notify($1, message) FROM unnest($2::text[]) WITH ORDINALITY AS m(message, position) ORDER BY position', [REALTIME_CHANNEL, inline]);
  }

  private async publishThroughOutbox(event: RealtimeEvent, manager: EntityManager): Promise<void> {
    const outbox = manager.getRepository(RealtimeOutbox);
    const { id } = await outbox.save(outbox.create({ payload: event as unknown as Record<string, unknown> }));
    const pointer: RealtimeWireMessage = { audience: event.audience, event: event.event, outboxId: id, ...(event.audience === 'user' ? { userId: event.userId } : {}) };
    await manager.query('SELECT pg_notify($1, $2)', [REALTIME_CHANNEL, JSON.stringify(pointer)]);
    // Large events are rare; trimming here keeps the table small without a job of its own.
    await manager.query('DELETE FROM realtime_outbox WHERE created_at < $1', [new Date(this.clock.nowMs() - OUTBOX_RETENTION_MS)]);
  }
}
