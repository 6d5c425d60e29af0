import { nextAttemptDelayMs } from './call-backoff.js';

const policy = { baseMs: 120_000, maxMs: 3_600_000 };

describe('nextAttemptDelayMs', () => {
  it('starts at the base (2 min) and doubles per failure', () => {
    expect([1, 2, 3, 4].map((n) => nextAttemptDelayMs(n, policy, () => 0))).toEqual([120_000, 240_000, 480_000, 960_000]);
  });

  it('adds at most 20 % jitter', () => {
    expect(nextAttemptDelayMs(1, policy, () => 0.5)).toBe(132_000);
    expect(nextAttemptDelayMs(1, policy, () => 0.999)).toBeLessThanOrEqual(144_000);
  });

  it('never exceeds the cap (1 h), jitter included, however many failures', () => {
    expect(nextAttemptDelayMs(6, policy, () => 0)).toBe(3_600_000);
    expect(nextAttemptDelayMs(5, policy, () => 0.99)).toBe(Math.round(1_920_000 * 1.198)); // 32 min plus jitter, under the cap
    expect(nextAttemptDelayMs(6, policy, () => 0.99)).toBe(3_600_000);
    expect(nextAttemptDelayMs(500, policy, () => 0.99)).toBe(3_600_000);
  });

  it('waits nothing before a first attempt', () => {
    expect(nextAttemptDelayMs(0, policy)).toBe(0);
  });
});
