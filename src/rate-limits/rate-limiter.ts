import { HttpException, HttpStatus, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig, type RateLimitName } from '../config/app-config.js';
import { SlidingWindowCounter } from './sliding-window-counter.js';

export interface RateLimitVerdict {
  allowed: boolean;
  /** Whole seconds until the caller may try again (0 when allowed). */
  retryAfterSeconds: number;
}

/** 429 in the project's error shape; the caller sets `Retry-After` before throwing it. */
export class TooManyRequestsError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Hit counting per (limit, key) in this process's memory. Per instance on purpose: no database round trip on
 * the hot routes; N instances allow N times the limit (docs/performance.md "Rate limits").
 * Keys that are secrets (tool tokens) are hashed so the raw value never sits in the map.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly counter: SlidingWindowCounter;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    const windowMs = config.rateLimits.windowSeconds * 1000;
    this.counter = new SlidingWindowCounter(windowMs);
    // Forget callers idle for a whole window, so the map stays the size of the active callers.
    this.sweep = setInterval(() => this.counter.evictIdle(this.clock.nowMs()), windowMs).unref();
  }

  hit(name: RateLimitName, key: string): Promise<RateLimitVerdict> {
    const hashed = createHash('sha256').update(key).digest('base64url');
    const waitMs = this.counter.hit(`${name}:${hashed}`, this.config.rateLimits.limits[name], this.clock.nowMs());
    return Promise.resolve(waitMs === 0 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
  }
}
