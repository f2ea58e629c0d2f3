import { describe, expect, it } from 'vitest';
import { Coalescer, type CoalescingOptions } from '../../../src/batching/coalescer';

/** A coalescer whose requests complete when the test says so. */
function harness(options: Partial<CoalescingOptions> = {}) {
  const requests: { key: string; batch: number[]; complete(): void }[] = [];
  const coalescer = new Coalescer<number>(
    { maxItems: 4, maxBytes: 1000, lingerMs: 1, maxInFlight: 1, ...options },
    (item) => item,
    (key, batch) => new Promise<void>((resolve) => requests.push({ key, batch, complete: resolve })),
  );
  return { coalescer, requests };
}

const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 1) {
    if (waited > 2000) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};

describe('Coalescer', () => {
  it('sends a full batch at once, without waiting for the linger', () => {
    const { coalescer, requests } = harness({ lingerMs: 60_000 });
    for (const item of [1, 2, 3, 4]) coalescer.add('t', item);
    expect(requests.map((r) => r.batch)).toEqual([[1, 2, 3, 4]]);
  });

  it('with nothing in flight, sends what one tick added together, without waiting for the linger', async () => {
    const { coalescer, requests } = harness({ lingerMs: 60_000 });
    coalescer.add('t', 1);
    coalescer.add('t', 2);
    expect(requests).toHaveLength(0);
    await until(() => requests.length === 1);
    expect(requests[0].batch).toEqual([1, 2]);
  });

  it('while requests are in flight, sends a lone item after its linger', async () => {
    const { coalescer, requests } = harness({ maxInFlight: 2, lingerMs: 20 });
    coalescer.add('a', 1);
    await until(() => requests.length === 1);
    const added = performance.now();
    coalescer.add('b', 2);
    await until(() => requests.length === 2);
    expect(performance.now() - added).toBeGreaterThanOrEqual(15);
    expect(requests[1].batch).toEqual([2]);
  });

  it('without a linger, sends at the end of the tick while the window has room, and gathers only while it is full', async () => {
    const { coalescer, requests } = harness({ maxInFlight: 2, lingerMs: 0, maxItems: 100 });
    coalescer.add('t', 1);
    await until(() => requests.length === 1);
    coalescer.add('t', 2);
    coalescer.add('t', 3);
    await until(() => requests.length === 2); // one request out, one slot free: no timer, no wait for the first
    expect(requests[1].batch).toEqual([2, 3]);
    for (const item of [4, 5, 6]) coalescer.add('t', item);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(requests).toHaveLength(2);
    requests[0].complete();
    await until(() => requests.length === 3);
    expect(requests[2].batch).toEqual([4, 5, 6]);
  });

  it('keeps a batch within maxBytes; an item larger than that travels alone', () => {
    const { coalescer, requests } = harness({ maxBytes: 100, maxInFlight: 10, lingerMs: 60_000 });
    for (const item of [60, 30, 20, 500]) coalescer.add('t', item);
    expect(requests.map((r) => r.batch)).toEqual([[60, 30], [20], [500]]);
  });

  it('gathers while the window is full and sends what gathered when a request completes', async () => {
    const { coalescer, requests } = harness({ maxItems: 100 });
    coalescer.add('t', 1);
    await until(() => requests.length === 1);
    for (const item of [2, 3, 4]) coalescer.add('t', item);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(requests).toHaveLength(1);
    requests[0].complete();
    await until(() => requests.length === 2);
    expect(requests[1].batch).toEqual([2, 3, 4]);
  });

  it('batches per key', () => {
    const { coalescer, requests } = harness({ maxItems: 2, maxInFlight: 10 });
    for (const [key, item] of [['a', 1], ['b', 2], ['a', 3], ['b', 4]] as const) coalescer.add(key, item);
    expect(requests.map((r) => [r.key, r.batch])).toEqual([
      ['a', [1, 3]],
      ['b', [2, 4]],
    ]);
  });

  it('drain sends everything gathered and resolves once every request completed', async () => {
    const { coalescer, requests } = harness({ lingerMs: 60_000 });
    for (const item of [1, 2, 3, 4, 5, 6]) coalescer.add('t', item);
    let drained = false;
    const draining = coalescer.drain().then(() => (drained = true));
    await until(() => requests.length === 1);
    requests[0].complete();
    await until(() => requests.length === 2);
    expect(drained).toBe(false);
    requests[1].complete();
    await draining;
    expect(requests.map((r) => r.batch)).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });
});
