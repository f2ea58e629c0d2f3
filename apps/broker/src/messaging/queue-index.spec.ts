import { describe, expect, it } from 'vitest';
import { QueueIndex } from './queue-index';

const entry = (position: number, size = 100, tagHash = 0, groupHash = 0) => ({ position, size, tagHash, groupHash });

describe('QueueIndex', () => {
  it('hands out consecutive offsets and answers where each message is, across chunk boundaries', () => {
    const queue = new QueueIndex(0);
    for (let i = 0; i < 40_000; i++) expect(queue.append(entry(i * 10, 10, i % 7, i % 3))).toBe(i);
    expect(queue.size).toBe(40_000);
    expect(queue.entry(16_384)).toEqual(entry(163_840, 10, 16_384 % 7, 16_384 % 3));
    expect(queue.entry(39_999)).toEqual(entry(399_990, 10, 39_999 % 7, 39_999 % 3));
    expect(queue.bytesFrom(39_990)).toBe(100);
    expect(queue.bytesFrom(0)).toBe(400_000);
  });

  it('is visible to consumers only up to the last durable offset', () => {
    const queue = new QueueIndex(0);
    queue.append(entry(0));
    queue.append(entry(100));
    expect(queue.visibleEnd).toBe(0);
    queue.markDurable(0);
    expect(queue.visibleEnd).toBe(1);
  });

  it('restores from a recovery starting past 0, with holes where records were lost', () => {
    const queue = new QueueIndex(1);
    queue.restore(5, entry(500));
    queue.restore(8, entry(800));
    expect([queue.minOffset, queue.maxOffset, queue.visibleEnd]).toEqual([5, 9, 9]);
    expect([...queue.offsets()]).toEqual([5, 8]);
    expect(queue.has(6)).toBe(false);
    expect(queue.entry(8)?.size).toBe(100);
    expect(() => queue.restore(7, entry(700))).toThrow(/restored after/);
  });

  it('restores a run of consecutive offsets exactly as entry-by-entry restores would, across chunk boundaries', () => {
    const count = 40_000;
    const run = {
      positions: Float64Array.from({ length: count }, (_, i) => 1000 + i * 10),
      sizes: Uint32Array.from({ length: count }, (_, i) => 10 + (i % 5)),
      tagHashes: Uint32Array.from({ length: count }, (_, i) => i % 7),
      groupHashes: Uint32Array.from({ length: count }, (_, i) => i % 3),
    };
    const byRun = new QueueIndex(0);
    const byEntry = new QueueIndex(0);
    for (const queue of [byRun, byEntry]) queue.restore(2, entry(500, 30));
    byRun.restoreRun(5, run);
    for (let i = 0; i < count; i++) byEntry.restore(5 + i, entry(run.positions[i], run.sizes[i], run.tagHashes[i], run.groupHashes[i]));
    expect([byRun.minOffset, byRun.maxOffset, byRun.visibleEnd]).toEqual([2, 5 + count, 5 + count]);
    expect(byRun.has(3)).toBe(false);
    for (const offset of [2, 5, 6, 16_383, 16_384, 16_385, 32_770, 5 + count - 1]) expect(byRun.entry(offset)).toEqual(byEntry.entry(offset));
    for (const offset of [2, 5, 20_000, 5 + count - 1]) expect(byRun.bytesFrom(offset)).toBe(byEntry.bytesFrom(offset));
    expect(byRun.append(entry(9_999_999))).toBe(5 + count);
    expect(() => byRun.restoreRun(7, run)).toThrow(/restored after/);
  });

  it('trims the front by log position and keeps later offsets stable', () => {
    const queue = new QueueIndex(0);
    for (let i = 0; i < 20_000; i++) queue.append(entry(i * 100));
    expect(queue.trimBefore(17_000 * 100)).toBe(17_000);
    expect(queue.entry(17_000)?.position).toBe(1_700_000);
    expect(queue.entry(16_999)).toBeUndefined();
    expect(queue.append(entry(2_000_000))).toBe(20_000);
  });

  it('continues after offsets handed out before, even when retention left the queue empty', () => {
    const queue = new QueueIndex(0);
    queue.continueAt(42);
    expect([queue.minOffset, queue.maxOffset]).toEqual([42, 42]);
    expect(queue.append(entry(0))).toBe(42);
    const restored = new QueueIndex(0);
    restored.restore(10, entry(1000));
    restored.continueAt(12);
    expect(restored.append(entry(2000))).toBe(12);
    expect(restored.has(11)).toBe(false);
  });

  it('forgets a message whose record turned out damaged', () => {
    const queue = new QueueIndex(0);
    queue.append(entry(0));
    queue.markLost(0);
    expect(queue.has(0)).toBe(false);
    expect(queue.entry(0)).toBeUndefined();
  });
});
