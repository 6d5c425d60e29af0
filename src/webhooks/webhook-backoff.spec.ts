import { MAX_RETRY_DELAY_MS, retryDelayMs } from './webhook-backoff.js';

describe('retryDelayMs', () => {
  it('doubles from the base with each failure and caps at one hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20, 30_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(0, 30_000)).toBe(0);
    expect(retryDelayMs(3, 0)).toBe(0);
  });
});
