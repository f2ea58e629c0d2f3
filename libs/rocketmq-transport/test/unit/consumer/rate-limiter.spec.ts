import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../../src/consumer/rate-limiter';

/** The most grants in any window of `windowMs`. */
function maxPerWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('RateLimiter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts a queue of waiters at the rate, even when its timers fire late', async () => {
    const limiter = new RateLimiter(10);
    const granted: number[] = [];
    for (let i = 0; i < 40; i++) void limiter.acquire().then(() => granted.push(Date.now()));
    await vi.advanceTimersByTimeAsync(1000);
    vi.setSystemTime(Date.now() + 700); // the event loop was busy: no timer ran for 700 ms
    await vi.advanceTimersByTimeAsync(5000);
    expect(granted).toHaveLength(40);
    expect(maxPerWindow(granted, 1000)).toBeLessThanOrEqual(11);
  });

  it('releases no burst after a pause in demand', async () => {
    const limiter = new RateLimiter(10);
    await vi.advanceTimersByTimeAsync(5000);
    const granted: number[] = [];
    for (let i = 0; i < 20; i++) void limiter.acquire().then(() => granted.push(Date.now()));
    await vi.advanceTimersByTimeAsync(3000);
    expect(granted).toHaveLength(20);
    expect(maxPerWindow(granted, 1000)).toBeLessThanOrEqual(11);
  });

  it('reaches rates above one start per millisecond without exceeding them', async () => {
    const limiter = new RateLimiter(5000);
    const granted: number[] = [];
    for (let i = 0; i < 12_000; i++) void limiter.acquire().then(() => granted.push(Date.now()));
    await vi.advanceTimersByTimeAsync(3000);
    expect(granted).toHaveLength(12_000);
    expect(maxPerWindow(granted, 1000)).toBeGreaterThan(4900);
    expect(maxPerWindow(granted, 1000)).toBeLessThanOrEqual(5005);
  });

  it('releases starts in groups at the same average rate, so a batching handler gets whole batches', async () => {
    const limiter = new RateLimiter(100, 10);
    const granted: number[] = [];
    for (let i = 0; i < 50; i++) void limiter.acquire().then(() => granted.push(Date.now()));
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted).toHaveLength(50);
    const groups = [...new Set(granted)].map((at) => granted.filter((t) => t === at).length);
    // The first start needs no wait (the bucket holds one token); every later group gathers ten.
    expect(groups.slice(1).every((size) => size === 10) || groups.every((size) => size === 10)).toBe(true);
    expect(maxPerWindow(granted, 1000)).toBeLessThanOrEqual(101);
  });

  it('does not hold back a group that is larger than the waiters', async () => {
    const limiter = new RateLimiter(100, 10);
    await vi.advanceTimersByTimeAsync(1000);
    const granted: number[] = [];
    for (let i = 0; i < 3; i++) void limiter.acquire().then(() => granted.push(Date.now()));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(3);
  });
});
