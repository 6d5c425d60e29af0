import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CallDispatcher } from './call-dispatcher.js';

/** With SCHEDULER_ENABLED: every SCHEDULER_INTERVAL_MS, settle stale dials, then dispatch what is due. */
@Injectable()
export class SchedulingScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchedulingScheduler.name);
  private ticking = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly dispatcher: CallDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.scheduler.enabled) return;
    this.registry.addInterval('call-dispatcher', setInterval(() => void this.tick(), this.config.scheduler.intervalMs));
    void this.tick();
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.dispatcher.recoverStaleDials();
    } catch (error) {
      this.logger.warn(`stale-dial check failed (retried next tick): ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.ticking = false;
    }
    this.dispatcher.nudge();
  }
}
