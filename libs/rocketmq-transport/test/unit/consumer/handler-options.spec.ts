import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF_MS, backoffFor, resolveHandlerOptions } from '../../../src/consumer/handler-options';

const resolve = (extras: Parameters<typeof resolveHandlerOptions>[1], defaults: Parameters<typeof resolveHandlerOptions>[2] = { group: 'shop' }) =>
  resolveHandlerOptions('orders', extras, defaults, 'host-1');

describe('resolveHandlerOptions', () => {
  it("fills Apache's defaults and lets the handler's own options win over the server's", () => {
    const options = resolve({ concurrency: 4 }, { group: 'shop', concurrency: 8, maxAttempts: 5 });
    expect(options).toMatchObject({ group: 'shop', concurrency: 4, maxAttempts: 5, fifo: false, batchSize: 32, backoffMs: DEFAULT_BACKOFF_MS });
  });

  it('gives a broadcast handler a group of its own per instance', () => {
    expect(resolve({ broadcast: true }).group).toBe('shop-host-1');
  });

  it('caps receive batches at 32, the most a receive returns', () => {
    expect(resolve({ batchSize: 100 }).batchSize).toBe(32);
  });

  it.each([
    [{}, {}, 'no consumer group'],
    [{ group: 'a.b' }, {}, 'must match'],
    [{ tag: 'A', sql: "a = 'b'" }, undefined, 'either tag or sql'],
    [{ concurrency: 0 }, undefined, 'concurrency must be a positive integer'],
    [{ maxRatePerSecond: -1 }, undefined, 'maxRatePerSecond must be > 0'],
    [{ maxRatePerSecond: 100, paceInGroupsOf: 1.5 }, undefined, 'paceInGroupsOf must be a positive integer'],
    [{ paceInGroupsOf: 8 }, undefined, 'paceInGroupsOf needs maxRatePerSecond'],
    [{ backoffMs: [] }, undefined, 'backoffMs needs non-negative delays'],
  ])('refuses %j (defaults %j): %s', (extras, defaults, message) => {
    expect(() => resolve(extras, defaults)).toThrow(message);
  });

  it('refuses topic names ApsaraMQ would refuse', () => {
    expect(() => resolveHandlerOptions('orders.created', {}, { group: 'shop' }, 'h')).toThrow('topic name must match');
  });
});

describe('backoffFor', () => {
  it('waits the delay of the attempt that failed; the last delay repeats', () => {
    const options = resolve({ backoffMs: [10, 20] });
    expect([1, 2, 3, 9].map((attempt) => backoffFor(options, attempt))).toEqual([10, 20, 20, 20]);
  });
});
