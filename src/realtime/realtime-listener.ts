import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg, { type Client } from 'pg';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { REALTIME_CHANNEL, type RealtimeEvent, type RealtimeWireMessage } from './realtime-event.js';

export const LISTENER_APPLICATION_NAME = 'convai-rooms:listen';
const RECONNECT_BASE_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * The process's one LISTEN connection: a dedicated `pg` client (not one of the TypeORM pool, which would
 * hand it to queries and lose the LISTEN). When the connection drops (database restart, pg_terminate_backend,
 * network) it reconnects with exponential backoff and listens again. Notifications are delivered in order;
 * an outbox pointer is read back before the next one is emitted. Events published while the connection is
 * down are not replayed (NOTIFY is not stored); pages reload their data when their socket reconnects.
 */
@Injectable()
export class RealtimeListener implements OnModuleInit, OnModuleDestroy {
  /** Every committed event published by any instance on this database. */
  readonly events$ = new Subject<RealtimeEvent>();
  private readonly logger = new Logger(RealtimeListener.name);
  private client: Client | null = null;
  private stopped = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private delivery: Promise<void> = Promise.resolve();
  private readyWaiters: Array<() => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** The backend pid of the LISTEN connection, null while reconnecting (tests and diagnostics). */
  get backendPid(): number | null {
    return this.client?.processID ?? null;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  /** Resolves once the listener is connected and listening (at once if it is). */
  whenListening(): Promise<void> {
    if (this.client) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    this.events$.complete();
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    let settled = false;
    const lost = (reason: string) => {
      if (!settled) return; // connect() below reports its own failure
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`realtime LISTEN connection lost (${reason}); reconnecting`);
      this.scheduleReconnect();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (message) => {
      if (message.channel === REALTIME_CHANNEL && message.payload) this.enqueue(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REALTIME_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`realtime LISTEN connection failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      this.scheduleReconnect();
      return;
    }
    settled = true;
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures) this.logger.log(`realtime LISTEN connection re-established after ${this.failures} attempt(s)`);
    this.failures = 0;
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.failures);
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => void this.connect(), delay * (0.75 + Math.random() * 0.5));
    this.reconnectTimer.unref();
  }

  private enqueue(payload: string): void {
    this.delivery = this.delivery
      .then(() => this.deliver(payload))
      .catch((error: unknown) => this.logger.error({ err: error }, 'a realtime event could not be delivered'));
  }

  private async deliver(payload: string): Promise<void> {
    const message = JSON.parse(payload) as RealtimeWireMessage;
    if ('outboxId' in message) {
      const rows: Array<{ payload: RealtimeEvent }> = await this.dataSource.query('SELECT payload FROM realtime_outbox WHERE id = $1', [message.outboxId]);
      if (!rows.length) throw new Error(`realtime outbox row ${message.outboxId} is gone`);
      this.events$.next(rows[0].payload);
      return;
    }
    this.events$.next(message);
  }
}
