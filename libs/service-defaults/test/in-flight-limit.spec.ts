import { afterEach, describe, expect, it, vi } from 'vitest';
import { InFlightLimit, OverloadedError } from '../src';

describe('InFlightLimit', () => {
  afterEach(() => vi.useRealTimers());

  it('runs up to max at once and refuses the next at once', async () => {
    const limit = new InFlightLimit('things', 2);
    const releases: (() => void)[] = [];
    const held = () => limit.run(() => new Promise<string>((resolve) => releases.push(() => resolve('done'))));
    const first = held();
    const second = held();
    await expect(limit.run(async () => 'third')).rejects.toThrow(OverloadedError);
    releases.forEach((release) => release());
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    expect(await limit.run(async () => 'again')).toBe('again');
  });

  it('frees its slot when the work fails', async () => {
    const limit = new InFlightLimit('things', 1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(async () => 'ok')).toBe('ok');
  });

  it('refuses at once for a window after even the quickest answer of the last one took longer than the budget', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const limit = new InFlightLimit('things', 100, 50);
    /** Runs one request that takes `ms` (fake time) and answers its result. */
    const takes = async (ms: number) => {
      let finish: () => void = () => undefined;
      const running = limit.run(() => new Promise<string>((resolve) => (finish = () => resolve(`${ms} ms`))));
      vi.advanceTimersByTime(ms);
      finish();
      return running;
    };
    expect(await takes(10)).toBe('10 ms');
    vi.advanceTimersByTime(100);
    expect(await takes(60)).toBe('60 ms');
    vi.advanceTimersByTime(100);
    // Alone, a request queues behind nothing: admitted whatever the last window said.
    expect(await limit.run(async () => 'alone')).toBe('alone');
    const waiting = limit.run(() => new Promise<string>((resolve) => setImmediate(() => resolve('in flight'))));
    // The same verdict without running anything, for a front door that answers 503 itself.
    expect(limit.overloaded()).toBe('things take 60 ms at least (budget 50 ms): try again shortly');
    await expect(limit.run(async () => 'late')).rejects.toThrow(/things take 60 ms at least \(budget 50 ms\)/);
    expect(await waiting).toBe('in flight');
    // Refused requests complete nothing: the next window says nothing, so the one after it admits again.
    vi.advanceTimersByTime(100);
    expect(limit.overloaded()).toBeUndefined();
    expect(await limit.run(async () => 'again')).toBe('again');
  });

  it('reads its maximum and its budget from the environment', () => {
    const budget = { variable: 'BUDGET_MS', fallbackMs: 50 };
    expect(InFlightLimit.fromEnv('things', 'MAX', 5, undefined, {})).toMatchObject({ max: 5, maxQueueingMs: Number.POSITIVE_INFINITY });
    expect(InFlightLimit.fromEnv('things', 'MAX', 5, budget, { MAX: '7' })).toMatchObject({ max: 7, maxQueueingMs: 50 });
    expect(InFlightLimit.fromEnv('things', 'MAX', 5, budget, { BUDGET_MS: '80' }).maxQueueingMs).toBe(80);
    expect(() => InFlightLimit.fromEnv('things', 'MAX', 5, undefined, { MAX: 'lots' })).toThrow(/MAX must be a positive integer/);
    expect(() => InFlightLimit.fromEnv('things', 'MAX', 5, budget, { BUDGET_MS: '-1' })).toThrow(/BUDGET_MS must be a positive integer/);
  });
});
