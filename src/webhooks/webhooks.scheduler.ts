import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ReconcileMissedConversations } from './usecases/reconcile-missed-conversations.js';
import { WebhookEventProcessor } from './webhook-event.processor.js';

/** Longest gap between two sweeps for due (retried, or left by a crash) events. */
export const WEBHOOK_POLL_MAX_MS = 5000;

/**
 * With SCHEDULER_ENABLED: processes what a crash left pending at start-up, sweeps for due events every
 * min(SCHEDULER_INTERVAL_MS, 5 s), and runs the reconciler every RECONCILE_INTERVAL_MS.
 */
@Injectable()
export class WebhooksScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhooksScheduler.name);
  private reconciling = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly processor: WebhookEventProcessor,
    private readonly reconciler: ReconcileMissedConversations,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.scheduler.enabled) return;
    this.processor.nudge();
    this.registry.addInterval('webhook-events-poll', setInterval(() => this.processor.nudge(), Math.min(this.config.scheduler.intervalMs, WEBHOOK_POLL_MAX_MS)));
    this.registry.addInterval('webhook-reconciler', setInterval(() => void this.reconcile(), this.config.scheduler.reconcileIntervalMs));
  }

  private async reconcile(): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      await this.reconciler.execute();
    } catch (error) {
      this.logger.warn(`reconciler run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.reconciling = false;
    }
  }
}
