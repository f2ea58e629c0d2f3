import { describe, expect, it } from 'vitest';
import { QueueIndex } from '../messaging/queue-index';
import { hash32, optionalHash32 } from '../util/hash';
import { type PendingMessage, QueueCursor, type TakeOptions } from './queue-cursor';

/** Messages at positions 0, 100, 200, … of 100 bytes, tagged even/odd by offset, in the given message groups. */
function queueOf(groups: (string | undefined)[]): QueueIndex {
  const queue = new QueueIndex(0);
  groups.forEach((messageGroup, offset) => {
    queue.append({ position: offset * 100, size: 100, tagHash: hash32(offset % 2 ? 'odd' : 'even'), groupHash: optionalHash32(messageGroup) });
    queue.markDurable(offset);
  });
  return queue;
}

const options = (over: Partial<TakeOptions> = {}): TakeOptions => ({ now: 1000, limit: 32, fifo: false, maxAttempts: 3, mayMatch: () => true, ...over });

function deliver(cursor: QueueCursor, over: Partial<TakeOptions> = {}, invisibleMs = 100): PendingMessage[] {
  const { deliver: taken } = cursor.take(options(over));
  for (const entry of taken) cursor.markDelivered(entry, invisibleMs, over.now ?? 1000);
  return taken;
}

describe('QueueCursor', () => {
  it('delivers every message once, then redelivers only what was not finished after the invisible time', () => {
    const cursor = new QueueCursor(queueOf([undefined, undefined, undefined]), 0);
    expect(deliver(cursor).map((e) => e.offset)).toEqual([0, 1, 2]);
    cursor.finish(0, 1000);
    cursor.finish(2, 1000);
    expect(deliver(cursor, { now: 1099 })).toEqual([]);
    const again = deliver(cursor, { now: 1100 });
    expect(again.map((e) => [e.offset, e.attempt])).toEqual([[1, 2]]);
    expect(cursor.commitOffset).toBe(1);
    cursor.finish(1, 1100);
    expect(cursor.commitOffset).toBe(3);
  });

  it('rejects a stale version after a redelivery', () => {
    const cursor = new QueueCursor(queueOf([undefined]), 0);
    const [entry] = deliver(cursor);
    const firstVersion = entry.version;
    deliver(cursor, { now: 2000 });
    expect(cursor.find(0, firstVersion)).toBeUndefined();
    expect(cursor.find(0, entry.version)).toBe(entry);
  });

  it('reports messages out of attempts instead of delivering them', () => {
    const cursor = new QueueCursor(queueOf([undefined]), 0);
    for (let attempt = 0; attempt < 3; attempt++) deliver(cursor, { now: 1000 + attempt * 1000 });
    const result = cursor.take(options({ now: 10_000 }));
    expect(result.deliver).toEqual([]);
    expect(result.exhausted.map((e) => e.attempt)).toEqual([3]);
  });

  it('finishes messages of other tags unread, by the tag hash in the index', () => {
    const cursor = new QueueCursor(queueOf([undefined, undefined, undefined, undefined]), 0);
    const taken = deliver(cursor, { mayMatch: (tagHash) => tagHash === hash32('odd') });
    expect(taken.map((e) => e.offset)).toEqual([1, 3]);
    expect(cursor.stats(1000).backlog).toBe(2);
  });

  it('a redelivery applies the receiving filter too: a due message of another tag is finished unread, a FIFO successor goes on', () => {
    const cursor = new QueueCursor(queueOf(['a', 'a']), 0);
    expect(deliver(cursor, { fifo: true }).map((e) => e.offset)).toEqual([0]);
    const oddOnly = { fifo: true, now: 5000, mayMatch: (tagHash: number) => tagHash === hash32('odd') };
    expect(deliver(cursor, oddOnly).map((e) => [e.offset, e.attempt])).toEqual([[1, 1]]);
    expect(cursor.find(0, 1)).toBeUndefined();
    expect(cursor.stats(5000).backlog).toBe(1);
  });

  it('FIFO: holds later messages of a message group until the earlier one is finished', () => {
    const cursor = new QueueCursor(queueOf(['a', 'a', 'b', 'a', 'b']), 0);
    expect(deliver(cursor, { fifo: true }).map((e) => e.offset)).toEqual([0, 2]);
    expect(deliver(cursor, { fifo: true, now: 5000 }).map((e) => [e.offset, e.attempt])).toEqual([[0, 2], [2, 2]]);
    cursor.finish(0, 5000);
    expect(deliver(cursor, { fifo: true, now: 5000 }).map((e) => e.offset)).toEqual([1]);
    cursor.finish(2, 5000);
    cursor.finish(1, 5000);
    expect(deliver(cursor, { fifo: true, now: 5000 }).map((e) => e.offset).sort()).toEqual([3, 4]);
  });

  it('FIFO: a dead-lettered head releases the next message of its group', () => {
    const cursor = new QueueCursor(queueOf(['a', 'a']), 0);
    for (let attempt = 0; attempt < 3; attempt++) deliver(cursor, { fifo: true, now: 1000 + attempt * 1000 });
    const { exhausted } = cursor.take(options({ fifo: true, now: 10_000 }));
    expect(exhausted.map((e) => e.offset)).toEqual([0]);
    cursor.finish(0, 10_000);
    expect(deliver(cursor, { fifo: true, now: 10_000 }).map((e) => [e.offset, e.attempt])).toEqual([[1, 1]]);
  });

  it('rebuilds pending deliveries and progress from a replay', () => {
    const queue = queueOf(['a', 'a', undefined, undefined]);
    const cursor = new QueueCursor(queue, 0);
    cursor.restoreDelivery({ offset: 0, attempt: 2, visibleAt: 500, version: 7, groupHash: hash32('a') });
    cursor.restoreFinish(2);
    cursor.resume();
    const taken = deliver(cursor, { fifo: true });
    expect(taken.map((e) => [e.offset, e.attempt])).toEqual([[0, 3], [3, 1]]);
    expect(cursor.find(0, 7)).toBeUndefined();
  });

  it('never delivers a message before it is durable', () => {
    const queue = new QueueIndex(0);
    queue.append({ position: 0, size: 10, tagHash: 0, groupHash: 0 });
    const cursor = new QueueCursor(queue, 0);
    expect(deliver(cursor)).toEqual([]);
    queue.markDurable(0);
    expect(deliver(cursor).map((e) => e.offset)).toEqual([0]);
  });

  it('trim forgets messages removed by retention and counts those the group never finished', () => {
    const queue = queueOf([undefined, undefined, undefined, undefined]);
    const cursor = new QueueCursor(queue, 0);
    deliver(cursor, { limit: 2 });
    cursor.finish(0, 1000);
    expect(queue.trimBefore(300)).toBe(3);
    expect(cursor.trim(queue.minOffset)).toBe(2); // offset 1 in flight, offset 2 never delivered
    expect(cursor.commitOffset).toBe(3);
    expect(cursor.stats(1000).backlog).toBe(1);
  });

  it('keeps FIFO successors of trimmed messages parked until the trim is durable', () => {
    const queue = queueOf(['a', 'a', 'a']);
    const cursor = new QueueCursor(queue, 0);
    expect(deliver(cursor, { fifo: true }).map((e) => e.offset)).toEqual([0]);
    queue.trimBefore(100);
    expect(cursor.trim(queue.minOffset)).toBe(1);
    expect(deliver(cursor, { fifo: true, now: 5000 })).toEqual([]);
    cursor.wakeChainHeads(5000);
    expect(deliver(cursor, { fifo: true, now: 5000 }).map((e) => e.offset)).toEqual([1]);
    cursor.wakeChainHeads(5050); // the head is in flight (until 5100): nothing more to wake
    expect(deliver(cursor, { fifo: true, now: 5050 })).toEqual([]);
  });

  it('keeps its progress through a snapshot, without FIFO messages parked behind their head', () => {
    const queue = queueOf(['a', 'a', 'b', undefined]);
    const cursor = new QueueCursor(queue, 0);
    deliver(cursor, { fifo: true });
    cursor.finish(2, 1000);
    const snapshot = cursor.snapshot();
    expect(snapshot.floor).toBe(0);
    expect(snapshot.done).toEqual([2]);
    expect(snapshot.pending.map(([offset, attempt]) => [offset, attempt])).toEqual([[0, 1], [3, 1]]);

    const restored = new QueueCursor(queue, 0);
    restored.restoreSnapshot(snapshot);
    restored.resume();
    expect(deliver(restored, { fifo: true, now: 1000 })).toEqual([]);
    restored.finish(0, 1000);
    expect(deliver(restored, { fifo: true, now: 1000 }).map((e) => e.offset)).toEqual([1]);
  });
});
