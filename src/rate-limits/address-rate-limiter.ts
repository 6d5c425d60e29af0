import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { addressTracker, rateLimitKey } from './rate-limit.guard.js';

/**
 * The limits counted before any Nest guard runs (the `?token=` sign-in middleware, the WebSocket handshake):
 * per client address, in the same ThrottlerStorage and with the same window and block as the route guard.
 */
@Injectable()
export class AddressRateLimiter {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts a hit; 0 when allowed, else the seconds until the address may try again. */
  async hit(name: 'tokenSignIn' | 'wsHandshake', address: string | undefined): Promise<number> {
    const windowMs = this.config.rateLimits.windowSeconds * 1000;
    const limit = this.config.rateLimits.limits[name];
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(rateLimitKey(name, addressTracker(address)), windowMs, limit, windowMs, name);
    return isBlocked ? timeToBlockExpire : 0;
  }
}
