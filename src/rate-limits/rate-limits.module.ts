import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig, RATE_LIMIT_NAMES } from '../config/app-config.js';
import { AddressRateLimiter } from './address-rate-limiter.js';

/**
 * Rate limits with @nestjs/throttler: one named throttler per limit, counted in the library's in-memory
 * ThrottlerStorageService, i.e. per process (docs/performance.md "Rate limits" says why and what it costs).
 * RateLimitGuard is not a provider here: each controller's module instantiates it from @RateLimit().
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: RATE_LIMIT_NAMES.map((name) => ({ name, limit: config.rateLimits.limits[name], ttl: config.rateLimits.windowSeconds * 1000 })),
        setHeaders: false, // RateLimitGuard sends a plain Retry-After; no per-throttler X-RateLimit-* headers
      }),
    }),
  ],
  providers: [AddressRateLimiter],
  exports: [AddressRateLimiter],
})
export class RateLimitsModule {}
