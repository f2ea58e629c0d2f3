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
});
