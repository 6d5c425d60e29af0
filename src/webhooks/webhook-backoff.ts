/** Longest wait between two tries of a failed event. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** Delay before the next try after `attempts` failed tries: base, 2×base, 4×base … capped at one hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  if (attempts < 1) return 0;
  return Math.min(baseMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
}
