/**
 * At most `limit` hits per key in any window of `windowMs` (a sliding log of hit times). A refused hit is not
 * recorded, so a caller who keeps retrying is let in as soon as its oldest hit leaves the window.
 *
 * Why not @nestjs/throttler's storage: version 6 is CommonJS and `require()`s the ESM-only @nestjs/common 12,
 * which Node 20 runs but Jest on Node 20 cannot load, so every e2e spec booting the app would fail.
 */
export class SlidingWindowCounter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  /** Records a hit at `nowMs` and returns 0, or returns the milliseconds until one is allowed (not recorded). */
  hit(key: string, limit: number, nowMs: number): number {
    const since = nowMs - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((time) => time > since);
    if (times.length >= limit) {
      this.hits.set(key, times);
      return times[0] + this.windowMs - nowMs;
    }
    times.push(nowMs);
    this.hits.set(key, times);
    return 0;
  }

  evictIdle(nowMs: number): void {
    for (const [key, times] of this.hits) if (times[times.length - 1] <= nowMs - this.windowMs) this.hits.delete(key);
  }

  get size(): number {
    return this.hits.size;
  }
}
