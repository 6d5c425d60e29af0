/** Retry policy of failed dials (SCHEDULER_RETRY_BASE_MS, SCHEDULER_RETRY_MAX_MS). */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Share of the delay added at random, so retries of many tasks failed together do not dial together. */
export const BACKOFF_JITTER = 0.2;

/**
 * Delay before the next dial after `failedAttempts` failed ones: base, 2×base, 4×base … capped at max,
 * plus up to 20 % jitter (still capped). `random` is injectable for tests.
 */
export function nextAttemptDelayMs(failedAttempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (failedAttempts < 1) return 0;
  const exponential = Math.min(policy.baseMs * 2 ** Math.min(failedAttempts - 1, 40), policy.maxMs);
  return Math.min(Math.round(exponential * (1 + BACKOFF_JITTER * random())), policy.maxMs);
}
