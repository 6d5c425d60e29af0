import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const WEBHOOK_EVENT_STATUSES = ['pending', 'processed', 'failed', 'ignored'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];
export const WEBHOOK_EVENT_SOURCES = ['webhook', 'calls_api', 'reconciler'] as const;
export type WebhookEventSource = (typeof WEBHOOK_EVENT_SOURCES)[number];

/** Every accepted delivery, stored raw before any processing. */
@Entity('webhook_events')
@Index(['status', 'nextAttemptAt'])
// The processor's claim reads due events in this order: without it every claim sorted the whole backlog.
@Index('IDX_webhook_events_due', ['nextAttemptAt', 'receivedAt'], { where: `status IN ('pending', 'failed')` })
@Index(['receivedAt'])
export class WebhookEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  eventType: string;

  /** type + conversation id, or a hash of the body: the same delivery twice is stored once. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 200 })
  dedupeKey: string;

  /** Who delivered it: an ElevenLabs webhook, POST /api/calls, or the reconciler (fetched from the API). */
  @Column({ type: 'varchar', length: 16, default: 'webhook' })
  source: WebhookEventSource;

  /** Who the delivery is about, as a number (`callerHashFor`): the processor's workers share callers by it. */
  @Column({ type: 'integer', nullable: true })
  callerHash: number | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: WebhookEventStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}
