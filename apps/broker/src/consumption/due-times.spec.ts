import { describe, expect, it } from 'vitest';
import { DueTimes } from './due-times';

/** Due times over a table of current versions: an item is stale once its offset is gone or moved on. */
function dueTimes() {
  const current = new Map<number, { version: number; visibleAt: number }>();
  const due = new DueTimes((offset, version, visibleAt) => current.get(offset)?.version === version && current.get(offset)?.visibleAt === visibleAt);
  const schedule = (offset: number, version: number, visibleAt: number) => {
    current.set(offset, { version, visibleAt });
    due.add(offset, version, visibleAt);
  };
  /** The offsets handed out at `now`, in order. */
  const drain = (now: number): number[] => {
    const offsets: number[] = [];
    for (let offset = due.popDue(now); offset !== undefined; offset = due.popDue(now)) offsets.push(offset);
    return offsets;
  };
  return { due, current, schedule, drain };
}

describe('DueTimes', () => {
  it('hands items out by due time, in-order and out-of-order arrivals merged', () => {
    const { due, schedule, drain } = dueTimes();
    schedule(1, 1, 100);
    schedule(2, 1, 200);
    schedule(3, 1, 50); // a shorter invisible time: out of order
    schedule(4, 1, 300);
    schedule(5, 1, 150); // a retry backoff: out of order
    expect(due.next()).toBe(50);
    expect(drain(160)).toEqual([3, 1, 5]);
    expect(due.next()).toBe(200);
    expect(drain(1000)).toEqual([2, 4]);
    expect(due.next()).toBeUndefined();
  });

  it('hands nothing out before its time', () => {
    const { due, schedule } = dueTimes();
    schedule(1, 1, 100);
    expect(due.popDue(99)).toBeUndefined();
    expect(due.popDue(100)).toBe(1);
  });

  it('drops acknowledged deliveries from the front as new ones arrive, so it holds about what is in flight', () => {
    const { due, current, schedule } = dueTimes();
    for (let offset = 0; offset < 10_000; offset++) {
      schedule(offset, 1, 30_000 + offset);
      current.delete(offset - 5); // acknowledged a few deliveries later
    }
    expect(due.size).toBeLessThanOrEqual(6);
  });

  it('keeps a slow delivery and everything behind it until they are due', () => {
    const { due, current, schedule, drain } = dueTimes();
    schedule(0, 1, 1000);
    for (let offset = 1; offset < 100; offset++) {
      schedule(offset, 1, 1000 + offset);
      current.delete(offset);
    }
    expect(due.size).toBe(100);
    // Due, only the slow one comes out: the acknowledged ones behind it are skipped.
    expect(drain(2000)).toEqual([0]);
    expect(due.size).toBe(0);
  });

  it('grows past its first capacity with the ring wrapped, keeping the order', () => {
    const { schedule, current, drain } = dueTimes();
    // Fill, acknowledge the front half, then add more so that the ring wraps before it grows.
    for (let offset = 0; offset < 64; offset++) schedule(offset, 1, offset);
    for (let offset = 0; offset < 32; offset++) current.delete(offset);
    for (let offset = 64; offset < 200; offset++) schedule(offset, 1, offset);
    expect(drain(1000)).toEqual(Array.from({ length: 168 }, (_, i) => i + 32));
  });

  it('a redelivery supersedes the earlier due time of the same message', () => {
    const { schedule, drain } = dueTimes();
    schedule(7, 1, 100);
    schedule(7, 2, 500);
    expect(drain(400)).toEqual([]);
    expect(drain(500)).toEqual([7]);
  });

  it('skips stale items in the heap as in the ring', () => {
    const { schedule, current, drain } = dueTimes();
    schedule(1, 1, 300);
    schedule(2, 1, 100); // out of order: heap
    schedule(3, 1, 200); // out of order: heap
    current.delete(2);
    expect(drain(1000)).toEqual([3, 1]);
  });

  it('keeps nothing that is never due, so the due times after it stay in the ring', () => {
    const { due, schedule, drain } = dueTimes();
    schedule(1, 1, Infinity);
    schedule(2, 1, 100);
    schedule(3, 1, 200);
    expect(due.size).toBe(2);
    expect(due.next()).toBe(100);
    expect(drain(Number.MAX_VALUE)).toEqual([2, 3]);
  });

  it('clear() empties both the ring and the heap', () => {
    const { due, schedule } = dueTimes();
    schedule(1, 1, 100);
    schedule(2, 1, 50);
    due.clear();
    expect(due.size).toBe(0);
    expect(due.popDue(Infinity)).toBeUndefined();
  });
});
