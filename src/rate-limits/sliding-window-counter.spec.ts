import { SlidingWindowCounter } from './sliding-window-counter.js';

describe('SlidingWindowCounter', () => {
  it('allows `limit` hits per window, then says how long to wait until the oldest hit leaves it', () => {
    const counter = new SlidingWindowCounter(10_000);
    expect([counter.hit('a', 2, 0), counter.hit('a', 2, 4_000)]).toEqual([0, 0]);
    expect(counter.hit('a', 2, 5_000)).toBe(5_000);
    // Refused hits are not counted: at 10 s the first hit is gone and one more is allowed.
    expect(counter.hit('a', 2, 10_000)).toBe(0);
    expect(counter.hit('a', 2, 10_001)).toBe(3_999);
  });

  it('counts each key on its own', () => {
    const counter = new SlidingWindowCounter(1_000);
    expect(counter.hit('a', 1, 0)).toBe(0);
    expect(counter.hit('a', 1, 1)).toBeGreaterThan(0);
    expect(counter.hit('b', 1, 1)).toBe(0);
  });

  it('forgets keys idle for a whole window', () => {
    const counter = new SlidingWindowCounter(1_000);
    counter.hit('a', 5, 0);
    counter.hit('b', 5, 900);
    counter.evictIdle(1_500);
    expect(counter.size).toBe(1);
  });
});
