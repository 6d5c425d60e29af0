import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { FlatCallSummary } from './call-summary.mapper.js';
import { CALL_SUMMARY_EVENT } from './dedupe-key.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';
import { IngestCallSummary } from './usecases/ingest-call-summary.js';
import { IngestPostCallEvent } from './usecases/ingest-post-call-event.js';
import { RecordCallInitiationFailure } from './usecases/record-call-initiation-failure.js';
import { StoreCallAudio } from './usecases/store-call-audio.js';
import { retryDelayMs } from './webhook-backoff.js';

/** Deliveries closer together than this count as a burst. */
const INTAKE_QUIET_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Processes stored deliveries (`webhook_events`). Each event is claimed with `FOR UPDATE SKIP LOCKED` in
 * its own transaction, so several instances share the work and none processes an event twice; the
 * processing runs in a savepoint of that transaction and the status update commits with it (a crash
 * rolls both back and leaves the event pending). Failures are kept as `failed` with the error and
 * retried with exponential backoff until WEBHOOK_MAX_ATTEMPTS.
 */
@Injectable()
export class WebhookEventProcessor implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookEventProcessor.name);
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastIntakeMs = -Infinity;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly postCall: IngestPostCallEvent,
    private readonly audio: StoreCallAudio,
    private readonly initiationFailure: RecordCallInitiationFailure,
    private readonly callSummary: IngestCallSummary,
  ) {}

  /** A delivery was just accepted (the processor gives way to intake while they keep coming). */
  noteIntake(): void {
    // Load, not business time: the monotonic clock (a test's fake Clock must not hold the workers back).
    this.lastIntakeMs = performance.now();
  }

  /** In-process signal (after a delivery was stored, at start-up, on the poll interval): work through what is due. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        await this.processDue();
      })
      .catch((error: unknown) => this.logger.error(`webhook processing loop failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Waits for a running loop, then processes everything due; resolves when nothing due is left (tests, CLI). */
  async drain(): Promise<number> {
    while (this.running) await this.running;
    return this.processDue();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }

  /** Runs WEBHOOK_CONCURRENCY workers until no due event is left; returns how many were handled. */
  async processDue(): Promise<number> {
    let handled = 0;
    const worker = async (index: number) => {
      for (;;) {
        // Under a burst of deliveries only the first worker keeps processing: accepting (and so storing) comes
        // first, since ElevenLabs does not retry; the backlog is worked off at full width once intake calms down.
        while (index > 0 && !this.stopped && performance.now() - this.lastIntakeMs < INTAKE_QUIET_MS) await sleep(INTAKE_QUIET_MS);
        if (this.stopped || !(await this.claimAndProcessOne())) return;
        handled += 1;
      }
    };
    await Promise.all(Array.from({ length: this.config.webhooks.concurrency }, (_, index) => worker(index)));
    return handled;
  }

  /** Claims the next due event (pending, or failed with tries left and its backoff over) and processes it. */
  async claimAndProcessOne(): Promise<boolean> {
    return this.inTransaction(async (runner) => {
      const rows: Array<{ id: string }> = await runner.query(
        `SELECT id FROM webhook_events
          WHERE (status = 'pending' OR (status = 'failed' AND attempts < $2)) AND next_attempt_at <= $1
          ORDER BY next_attempt_at, received_at
          LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [this.clock.now(), this.config.webhooks.maxAttempts],
      );
      if (!rows.length) return false;
      await this.processLocked(runner, rows[0].id);
      return true;
    });
  }

  /** Admin replay: processes one failed (or pending) event now, whatever its tries and backoff. */
  async replay(id: string): Promise<WebhookEvent> {
    await this.inTransaction(async (runner) => {
      let rows: Array<{ status: string }>;
      try {
        rows = await runner.query(`SELECT status FROM webhook_events WHERE id = $1 FOR UPDATE NOWAIT`, [id]);
      } catch (error) {
        if ((error as { code?: string }).code === '55P03') throw new ConflictException('this event is being processed right now');
        throw error;
      }
      if (!rows.length) throw new NotFoundException('webhook event not found');
      if (rows[0].status !== 'failed' && rows[0].status !== 'pending') throw new ConflictException(`only failed or pending events can be replayed (this one is ${rows[0].status})`);
      await this.processLocked(runner, id);
    });
    return this.dataSource.getRepository(WebhookEvent).findOneByOrFail({ id });
  }

  private async processLocked(runner: QueryRunner, id: string): Promise<void> {
    const event = await runner.manager.findOneByOrFail(WebhookEvent, { id });
    const attempts = event.attempts + 1;
    await runner.query('SAVEPOINT process_event');
    try {
      await this.dispatch(event, runner.manager);
      await runner.query('RELEASE SAVEPOINT process_event');
      await runner.manager.update(WebhookEvent, { id }, { status: 'processed', attempts, error: null, processedAt: this.clock.now() });
    } catch (error) {
      await runner.query('ROLLBACK TO SAVEPOINT process_event');
      const message = error instanceof Error ? error.message : String(error);
      const nextAttemptAt = new Date(this.clock.nowMs() + retryDelayMs(attempts, this.config.webhooks.retryBaseMs));
      const final = attempts >= this.config.webhooks.maxAttempts;
      this.logger.warn(`webhook event ${id} (${event.eventType}) failed, try ${attempts}/${this.config.webhooks.maxAttempts}${final ? ', giving up' : ''}: ${message}`);
      await runner.manager.update(WebhookEvent, { id }, { status: 'failed', attempts, error: message.slice(0, 2000), nextAttemptAt });
    }
  }

  private async dispatch(event: WebhookEvent, manager: EntityManager): Promise<void> {
    const payload = event.payload;
    const data = (payload.data && typeof payload.data === 'object' ? payload.data : {}) as Record<string, unknown>;
    switch (event.eventType) {
      case 'post_call_transcription':
        await this.postCall.execute(data, event.source === 'reconciler' ? 'reconciler' : 'webhook', manager);
        return;
      case 'post_call_audio':
        await this.audio.execute(event.id, data, manager);
        return;
      case 'call_initiation_failure':
        await this.initiationFailure.execute(data, manager);
        return;
      case CALL_SUMMARY_EVENT:
        await this.callSummary.execute(payload as unknown as FlatCallSummary, manager);
        return;
      default:
        throw new Error(`no processor for event type ${event.eventType}`);
    }
  }

  private async inTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
