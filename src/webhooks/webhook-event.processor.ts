import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DeferredWrites } from '../database/deferred-writes.js';
import { LockBusyError } from '../database/lock-busy.js';
import { queryPrepared } from '../database/prepared-query.js';
import type { FlatCallSummary } from './call-summary.mapper.js';
import type { CallText } from './call-text.js';
import { CALL_SUMMARY_EVENT } from './dedupe-key.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';
import { IngestCallSummary } from './usecases/ingest-call-summary.js';
import { IngestPostCallEvent } from './usecases/ingest-post-call-event.js';
import { RecordCallInitiationFailure } from './usecases/record-call-initiation-failure.js';
import { StoreCallAudio } from './usecases/store-call-audio.js';
import { retryDelayMs } from './webhook-backoff.js';

/** Deliveries closer together than this count as a burst. */
const INTAKE_QUIET_MS = 25;
/**
 * Events claimed and committed together. Larger batches mean fewer claims, status updates and commits per
 * event; smaller ones mean less work redone after a crash and earlier realtime events.
 */
const CLAIM_BATCH = 16;
const dataOf = (event: ClaimedEvent) => (event.payload.data && typeof event.payload.data === 'object' ? event.payload.data : {}) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The columns of a claimed `webhook_events` row that processing needs (read with the claim, not again). */
type ClaimedEvent = Pick<WebhookEvent, 'id' | 'eventType' | 'source' | 'payload' | 'attempts'>;
/** What became of a claimed batch: the events processed, and how many were left pending for another batch's person. */
type BatchOutcome = { processed: string[]; deferred: number };
/** The callers a worker takes events of: those with `caller_hash % workers = worker`. */
type CallerShare = { workers: number; worker: number };
const ALL_CALLERS: CallerShare = { workers: 1, worker: 0 };
/** The texts of a batch's finished calls, sent to be read when the batch was claimed (by event id). */
type BatchTexts = Map<string, Promise<CallText>>;

/**
 * Processes stored deliveries (`webhook_events`). Events are claimed in batches with `FOR UPDATE SKIP LOCKED`
 * in one transaction, so several instances share the work and none processes an event twice; the events'
 * writes and their status updates commit together (a crash rolls all back and leaves the events pending), and
 * a failing event is rolled back alone (`claimAndProcessBatch`). Failures are kept as `failed` with the error and
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

  /**
   * Runs WEBHOOK_CONCURRENCY workers until no due event is left; returns how many were handled. Worker k takes the
   * events of its own share of callers (`caller_hash % workers = k`), so that the process's batches do not want the
   * same person at once.
   */
  async processDue(): Promise<number> {
    let handled = 0;
    const workers = this.config.webhooks.concurrency;
    const worker = async (index: number) => {
      for (;;) {
        // Under a burst of deliveries only the first worker keeps processing, every caller's events: accepting (and
        // so storing) comes first, since ElevenLabs does not retry; the backlog is worked off at full width once
        // intake calms down.
        while (index > 0 && !this.stopped && this.intakeIsBusy()) await sleep(INTAKE_QUIET_MS);
        const share: CallerShare = index === 0 && this.intakeIsBusy() ? ALL_CALLERS : { workers, worker: index };
        const claimed = this.stopped ? 0 : await this.claimAndProcessBatch(share);
        if (!claimed) return;
        handled += claimed;
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
    return handled;
  }

  private intakeIsBusy(): boolean {
    return performance.now() - this.lastIntakeMs < INTAKE_QUIET_MS;
  }

  /**
   * Claims up to CLAIM_BATCH due events (pending, or failed with tries left and their backoff over) with one
   * `FOR UPDATE SKIP LOCKED` and processes them in that transaction (one commit, one status update for the
   * batch). Rows that need no answer (transcript lines, insights, realtime events) are written once for the batch
   * (`DeferredWrites`) before it commits. When an event fails, the batch is undone and run again with a savepoint
   * per event: the failing one is rolled back alone and recorded as failed, the others commit. Realtime events
   * are NOTIFYs of this transaction, so they reach sockets only after it commits. `share`: whose events (by
   * caller). Returns how many were claimed (0: nothing due).
   */
  async claimAndProcessBatch(share: CallerShare = ALL_CALLERS): Promise<number> {
    const { claimed, deferred } = await this.inTransaction(async (runner) => {
      // The ids are picked (and locked) first, the payloads read for those only: when the table's statistics lag
      // behind a burst, PostgreSQL sorts the whole backlog here instead of reading the due index, and sorting
      // the payloads along spilled to disk.
      const rows = await queryPrepared<ClaimedEvent>(
        runner.manager,
        `SELECT id, event_type AS "eventType", source, payload, attempts FROM webhook_events
          WHERE id IN (SELECT id FROM webhook_events
            WHERE status IN ('pending', 'failed') AND (status = 'pending' OR attempts < $2) AND next_attempt_at <= $1
              AND ($4::int = 1 OR COALESCE(caller_hash, 0) % $4::int = $5::int)
            ORDER BY next_attempt_at, received_at
            LIMIT $3 FOR UPDATE SKIP LOCKED)
          ORDER BY next_attempt_at, received_at`,
        [this.clock.now(), this.config.webhooks.maxAttempts, CLAIM_BATCH, share.workers, share.worker],
      );
      if (!rows.length) return { claimed: 0, deferred: 0 };
      const texts = this.readTexts(rows);
      const writes = new DeferredWrites();
      await runner.query('SAVEPOINT claimed_batch');
      let outcome: BatchOutcome;
      try {
        outcome = await this.processTogether(runner.manager, rows, writes, texts);
        await writes.flush(runner.manager);
        await runner.query('RELEASE SAVEPOINT claimed_batch');
      } catch (error) {
        // An event failed, or a multi-row write of the batch did: undo the whole batch and run its events again,
        // each in its own savepoint and writing its own rows, so that a bad one fails alone.
        this.logger.warn(`webhook batch of ${rows.length} rolled back, processed one by one: ${error instanceof Error ? error.message : String(error)}`);
        await runner.query('ROLLBACK TO SAVEPOINT claimed_batch; RELEASE SAVEPOINT claimed_batch');
        outcome = await this.processClaimed(runner, rows, texts);
      }
      if (outcome.processed.length) {
        await queryPrepared(runner.manager, `UPDATE webhook_events SET status = 'processed', attempts = attempts + 1, error = NULL, processed_at = $2 WHERE id = ANY($1::uuid[])`, [
          outcome.processed,
          this.clock.now(),
        ]);
      }
      return { claimed: rows.length, deferred: outcome.deferred };
    });
    // Every event waits for another batch (the same people): give it a moment to commit rather than spin.
    if (claimed && deferred === claimed) await sleep(10);
    return claimed;
  }

  /**
   * The usual path: the claimed events one after the other, with no savepoint each, their answer-less rows
   * collected in `writes`. An event whose person another batch holds, found before it wrote anything, is left
   * pending; any other failure is thrown (the caller undoes the batch and runs `processClaimed`).
   */
  private async processTogether(manager: EntityManager, rows: ClaimedEvent[], writes: DeferredWrites, texts: BatchTexts): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { processed: [], deferred: 0 };
    for (const event of rows) {
      try {
        await this.dispatch(event, manager, writes, texts.get(event.id));
        writes.keepStaged();
        outcome.processed.push(event.id);
      } catch (error) {
        writes.dropStaged();
        if (!(error instanceof LockBusyError && error.beforeAnyWrite)) throw error;
        outcome.deferred += 1;
      }
    }
    return outcome;
  }

  /** After a failure: the claimed events one after the other, each in its own savepoint and writing its own rows. */
  private async processClaimed(runner: QueryRunner, rows: ClaimedEvent[], texts: BatchTexts = new Map()): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { processed: [], deferred: 0 };
    let savepoint = false;
    for (const event of rows) {
      // One round trip ends the previous event's savepoint and opens this one's.
      await runner.query(savepoint ? 'RELEASE SAVEPOINT process_event; SAVEPOINT process_event' : 'SAVEPOINT process_event');
      savepoint = true;
      const result = await this.processInSavepoint(runner, event, texts.get(event.id));
      if (result === 'processed') outcome.processed.push(event.id);
      else savepoint = false; // rolled back to (and released) by processInSavepoint
      if (result === 'deferred') outcome.deferred += 1;
    }
    if (savepoint) await runner.query('RELEASE SAVEPOINT process_event');
    return outcome;
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
      if ((await this.processLocked(runner, id)) === 'deferred') throw new ConflictException('another event of the same person is being processed right now; replay again shortly');
    });
    return this.dataSource.getRepository(WebhookEvent).findOneByOrFail({ id });
  }

  private async processLocked(runner: QueryRunner, id: string): Promise<'processed' | 'failed' | 'deferred'> {
    const [event]: ClaimedEvent[] = await runner.query(`SELECT id, event_type AS "eventType", source, payload, attempts FROM webhook_events WHERE id = $1`, [id]);
    if (!event) throw new NotFoundException('webhook event not found');
    await runner.query('SAVEPOINT process_event');
    const outcome = await this.processInSavepoint(runner, event);
    if (outcome === 'processed') {
      await runner.query('RELEASE SAVEPOINT process_event');
      await runner.query(`UPDATE webhook_events SET status = 'processed', attempts = attempts + 1, error = NULL, processed_at = $2 WHERE id = $1`, [id, this.clock.now()]);
    }
    return outcome;
  }

  /**
   * Runs one claimed event inside the open savepoint `process_event`. On failure rolls back to it (undoing
   * only this event), releases it and records the failure with its backoff; a deadlock with another worker's
   * batch, or a person's lock held by one (LockBusyError), is not the event's fault: it is left as it was and
   * claimed again after this transaction.
   */
  private async processInSavepoint(runner: QueryRunner, event: ClaimedEvent, text?: Promise<CallText>): Promise<'processed' | 'failed' | 'deferred'> {
    try {
      await this.dispatch(event, runner.manager, null, text);
      return 'processed';
    } catch (error) {
      await runner.query('ROLLBACK TO SAVEPOINT process_event; RELEASE SAVEPOINT process_event');
      if ((error as { code?: string }).code === '40P01' || error instanceof LockBusyError) return 'deferred';
      const attempts = event.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const nextAttemptAt = new Date(this.clock.nowMs() + retryDelayMs(attempts, this.config.webhooks.retryBaseMs));
      const final = attempts >= this.config.webhooks.maxAttempts;
      this.logger.warn(`webhook event ${event.id} (${event.eventType}) failed, try ${attempts}/${this.config.webhooks.maxAttempts}${final ? ', giving up' : ''}: ${message}`);
      await runner.query(`UPDATE webhook_events SET status = 'failed', attempts = $2, error = $3, next_attempt_at = $4 WHERE id = $1`, [
        event.id,
        attempts,
        message.slice(0, 2000),
        nextAttemptAt,
      ]);
      return 'failed';
    }
  }

  /** The finished calls' texts of a claimed batch, sent to be read at once (they are read while the batch runs). */
  private readTexts(rows: ClaimedEvent[]): BatchTexts {
    const calls = rows.filter((event) => event.eventType === 'post_call_transcription');
    const answers = this.postCall.readTexts(calls.map((event) => dataOf(event)));
    return new Map(calls.map((event, index) => [event.id, answers[index]]));
  }

  private async dispatch(event: ClaimedEvent, manager: EntityManager, writes: DeferredWrites | null, text?: Promise<CallText>): Promise<void> {
    const payload = event.payload;
    const data = dataOf(event);
    switch (event.eventType) {
      case 'post_call_transcription':
        await this.postCall.execute(data, event.source === 'reconciler' ? 'reconciler' : 'webhook', manager, writes, text);
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
