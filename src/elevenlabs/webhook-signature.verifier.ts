import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** Future timestamps beyond this are refused (clock skew allowance). */
export const FUTURE_SKEW_SECONDS = 300;

export class WebhookSignatureError extends Error {
  constructor(readonly reason: 'missing_header' | 'malformed_header' | 'stale' | 'future' | 'mismatch') {
    super(
      {
        missing_header: 'missing ElevenLabs-Signature header',
        malformed_header: 'malformed ElevenLabs-Signature header (expected t=<unix seconds>,v0=<hex>)',
        stale: 'signature timestamp is too old',
        future: 'signature timestamp is in the future',
        mismatch: 'signature does not match the body',
      }[reason],
    );
    this.name = 'WebhookSignatureError';
  }
}

/**
 * Verifies `ElevenLabs-Signature: t=<ts>,v0=<hex>` = HMAC-SHA256(secret, `${t}.${rawBody}`) over the exact
 * bytes received, compared in constant time. Written here rather than the SDK's constructEvent, which
 * compares with !==, accepts any future timestamp and rejects a space after the comma.
 */
@Injectable()
export class WebhookSignatureVerifier {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  verify(rawBody: Buffer | string, header: string | undefined, secret: string): void {
    if (!header?.trim()) throw new WebhookSignatureError('missing_header');
    const parts = header.split(',').map((part) => part.trim());
    const timestamp = parts.find((part) => part.startsWith('t='))?.slice(2);
    const signatures = parts.filter((part) => part.startsWith('v0=')).map((part) => part.slice(3));
    if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
      throw new WebhookSignatureError('malformed_header');
    }

    const ageSeconds = this.clock.nowMs() / 1000 - Number(timestamp);
    if (ageSeconds > this.config.webhookToleranceSeconds) throw new WebhookSignatureError('stale');
    if (ageSeconds < -FUTURE_SKEW_SECONDS) throw new WebhookSignatureError('future');

    const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
    // Several v0 entries may appear during a secret rotation; any one matching is enough.
    const matches = signatures.some((hex) => {
      if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
      return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
    });
    if (!matches) throw new WebhookSignatureError('mismatch');
  }
}
