import type { QueueIndex } from '../messaging/queue-index';
import { DueTimes } from './due-times';

/** A message of this queue that the group has seen but not finished. */
export interface PendingMessage {
  offset: number;
  /** Deliveries so far; the next delivery reports attempt + 1. */
  attempt: number;
  /** When it may be (re)delivered. Infinity while it waits behind its message group (FIFO). */
  visibleAt: number;
  /** Bumped by every delivery and visibility change, so a stale receipt handle is recognised. */
  version: number;
  /** FIFO groups only: hash of the message group whose order this message keeps. */
  groupHash?: number;
}

export interface TakeOptions {
  now: number;
  limit: number;
  fifo: boolean;
  maxAttempts: number;
  /** Cheap test on the tag hash from the index; messages it rejects are finished unread. */
  mayMatch: (tagHash: number) => boolean;
}

export interface TakeResult {
  /** Chosen for delivery; the caller reads them, applies the exact filter, then `markDelivered` or `finish`es each. */
  deliver: PendingMessage[];
  /** Out of attempts: the caller moves these to the dead-letter queue and calls `finish`. */
  exhausted: PendingMessage[];
}

/** What a checkpoint keeps of a cursor. */
export interface CursorSnapshot {
  floor: number;
  done: number[];
  /** [offset, attempt, visibleAt, version, groupHash (0: none)] */
  pending: [number, number, number, number, number][];
}

/**
 * One consumer group's progress over one queue: a commit offset (`floor`, everything below is
 * done), the messages finished above it, and the pending ones (in flight, waiting to be retried,
 * or — for FIFO groups — waiting for the earlier message of their message group).
 */
export class QueueCursor {
  private floor: number;
  private next: number;
  private readonly done = new Set<number>();
  private readonly pending = new Map<number, PendingMessage>();
  /** A due time is current while its message is pending with the same version and due time. */
  private readonly due = new DueTimes((offset, version, visibleAt) => {
    const entry = this.pending.get(offset);
    return entry !== undefined && entry.version === version && entry.visibleAt === visibleAt;
  });
  /** FIFO only: the pending offsets of each message group, oldest first; only the head may be delivered. */
  private readonly chains = new Map<number, number[]>();

  constructor(
    readonly queue: QueueIndex,
    /** Where the group started reading this queue (`consumeFrom`). */
    readonly startOffset: number,
  ) {
    this.floor = Math.max(startOffset, queue.minOffset);
    this.next = this.floor;
  }

  get commitOffset(): number {
    return this.floor;
  }

  take(options: TakeOptions): TakeResult {
    const result: TakeResult = { deliver: [], exhausted: [] };
    this.takeDue(options, result);
    this.takeNew(options, result);
    return result;
  }

  /** The earliest time a pending message becomes deliverable, for long-polling wake-ups. */
  nextDueAt(): number | undefined {
    return this.due.next();
  }

  markDelivered(entry: PendingMessage, invisibleMs: number, now: number): void {
    entry.attempt++;
    this.setVisibleAt(entry, now + invisibleMs);
  }

  /** A message taken but not delivered after all (the receive failed): deliverable again at once. */
  putBack(entry: PendingMessage, now: number): void {
    if (this.pending.get(entry.offset) !== entry) return;
    entry.visibleAt = now;
    this.due.add(entry.offset, entry.version, now);
  }

  /** Whether a taken entry is still as taken: not acknowledged or moved by a visibility change meanwhile. */
  unchanged(entry: PendingMessage, version: number): boolean {
    return this.pending.get(entry.offset) === entry && entry.version === version;
  }

  find(offset: number, version: number): PendingMessage | undefined {
    const entry = this.pending.get(offset);
    return entry && entry.version === version && entry.attempt > 0 ? entry : undefined;
  }

  /**
   * Where this offset stands for the group (the admin API's message trail): pending (a replayed
   * dead letter is pending again even below the commit offset), finished, or neither yet.
   */
  progressOf(offset: number): { finished: boolean; pending?: Readonly<PendingMessage> } {
    const pending = this.pending.get(offset);
    return { finished: !pending && (offset < this.floor || this.done.has(offset)), pending };
  }

  changeVisibility(entry: PendingMessage, visibleAt: number): void {
    this.setVisibleAt(entry, visibleAt);
  }

  /** Auto-renew: later visibility, same receipt handle. */
  extendVisibility(entry: PendingMessage, visibleAt: number): void {
    entry.visibleAt = visibleAt;
    this.due.add(entry.offset, entry.version, visibleAt);
  }

  /**
   * Acknowledged, filtered out, lost or dead-lettered: the group is done with this offset. With
   * `holdChain`, a FIFO successor stays blocked until `releaseChain` — acks let it go only once their
   * journal record is durable, so a crash can never redeliver a message after its successor.
   */
  finish(offset: number, now: number, holdChain = false): void {
    const entry = this.pending.get(offset);
    this.pending.delete(offset);
    if (entry?.groupHash !== undefined && !holdChain) this.advanceChain(entry.groupHash, offset, now);
    if (offset < this.floor) return;
    this.done.add(offset);
    while (this.done.delete(this.floor)) this.floor++;
  }

  /** Lets the FIFO successor of a message finished with `holdChain` go (`groupHash` from its pending entry). */
  releaseChain(groupHash: number | undefined, offset: number, now: number): void {
    if (groupHash !== undefined) this.advanceChain(groupHash, offset, now);
  }

  /**
   * Retention removed the messages below `minOffset`: forget them. Returns how many of them this group
   * had not finished (consumed by nobody in this group, and now gone). FIFO successors of the removed
   * messages stay parked until `wakeChainHeads`: a crash before the trim is checkpointed would bring
   * the removed messages back, and they must not come back after a successor was delivered.
   */
  trim(minOffset: number): number {
    let expired = 0;
    for (const offset of this.pending.keys()) {
      if (offset >= minOffset) continue;
      if (offset < this.floor) expired++;
      this.pending.delete(offset);
    }
    // Chains may also hold finished heads still waiting for their ack to be durable: gone too.
    for (const [groupHash, chain] of this.chains) {
      const kept = chain.filter((offset) => offset >= minOffset);
      if (kept.length === 0) this.chains.delete(groupHash);
      else if (kept.length < chain.length) this.chains.set(groupHash, kept);
    }
    if (minOffset > this.floor) {
      expired += minOffset - this.floor;
      for (const offset of this.done) {
        if (offset >= minOffset) continue;
        this.done.delete(offset);
        expired--;
      }
      this.floor = minOffset;
    }
    this.next = Math.max(this.next, this.floor);
    while (this.done.delete(this.floor)) this.floor++;
    return expired;
  }

  /** After a trim is durable: the new head of each message group may be delivered. */
  wakeChainHeads(now: number): void {
    for (const chain of this.chains.values()) {
      const head = this.pending.get(chain[0]);
      if (!head || head.visibleAt !== Infinity) continue;
      head.visibleAt = now;
      this.due.add(head.offset, head.version, now);
    }
  }

  /**
   * DLQ replay: a finished message becomes deliverable to this group again, attempts from zero. It may
   * sit below the commit offset; it is then pending without moving the offset back. Its FIFO order
   * is not restored (its successors went ahead when it was dead-lettered).
   */
  reopen(offset: number, now: number): boolean {
    if (this.pending.has(offset) || !this.queue.has(offset)) return false;
    this.done.delete(offset);
    // A clock-based version can never equal the version of an earlier delivery's receipt handle.
    const entry: PendingMessage = { offset, attempt: 0, visibleAt: now, version: now };
    this.pending.set(offset, entry);
    this.due.add(offset, entry.version, now);
    return true;
  }

  /** `acked` counts every message the group finished since it started: acknowledged, filtered out or dead-lettered. */
  stats(now: number): { backlog: number; inflight: number; retrying: number; acked: number } {
    let inflight = 0;
    let retrying = 0;
    let reopenedBelowFloor = 0;
    for (const entry of this.pending.values()) {
      if (entry.offset < this.floor) reopenedBelowFloor++;
      if (entry.attempt === 0) continue;
      if (entry.visibleAt > now) inflight++;
      else retrying++;
    }
    const backlog = Math.max(0, this.queue.maxOffset - Math.max(this.floor, this.queue.minOffset) - this.done.size) + reopenedBelowFloor;
    const acked = Math.max(0, this.queue.maxOffset - this.startOffset - backlog);
    return { backlog, inflight, retrying, acked };
  }

  /** Bytes of the messages from the commit offset on: what this group still has to consume, roughly. */
  backlogBytes(): number {
    return this.queue.bytesFrom(this.floor);
  }

  // --- checkpoints and recovery: a snapshot, then the journal's deliveries and acks, then `resume` ---

  snapshot(): CursorSnapshot {
    const pending: CursorSnapshot['pending'] = [];
    for (const entry of this.pending.values()) {
      // A FIFO message parked behind its group's head is found again by `resume` walking from the floor.
      if (entry.attempt === 0 && entry.visibleAt === Infinity) continue;
      pending.push([entry.offset, entry.attempt, entry.visibleAt, entry.version, entry.groupHash ?? 0]);
    }
    return { floor: this.floor, done: [...this.done], pending };
  }

  restoreSnapshot(snapshot: CursorSnapshot): void {
    this.floor = Math.max(this.floor, snapshot.floor);
    for (const offset of snapshot.done) if (offset >= this.floor) this.done.add(offset);
    for (const [offset, attempt, visibleAt, version, groupHash] of snapshot.pending) {
      this.pending.set(offset, { offset, attempt, visibleAt, version, ...(groupHash ? { groupHash } : {}) });
    }
  }

  restoreDelivery(entry: PendingMessage): void {
    const reopened = this.pending.has(entry.offset);
    if (!reopened && (entry.offset < this.floor || this.done.has(entry.offset))) return;
    this.pending.set(entry.offset, entry);
  }

  restoreFinish(offset: number): void {
    this.pending.delete(offset);
    if (offset < this.floor) return;
    this.done.add(offset);
    while (this.done.delete(this.floor)) this.floor++;
  }

  /** Past every offset this cursor has a record of: the queue must never hand those out again. */
  knownEnd(): number {
    let end = Math.max(this.startOffset, this.floor);
    for (const offset of this.done) end = Math.max(end, offset + 1);
    for (const offset of this.pending.keys()) end = Math.max(end, offset + 1);
    return end;
  }

  resume(): void {
    this.next = this.floor;
    this.due.clear();
    this.chains.clear();
    const restored = [...this.pending.values()].sort((a, b) => a.offset - b.offset);
    for (const entry of restored) {
      if (entry.groupHash !== undefined) {
        const chain = this.chains.get(entry.groupHash);
        if (chain) chain.push(entry.offset);
        else this.chains.set(entry.groupHash, [entry.offset]);
      }
      this.due.add(entry.offset, entry.version, entry.visibleAt);
    }
  }

  private takeDue(options: TakeOptions, result: TakeResult): void {
    while (result.deliver.length < options.limit) {
      const offset = this.due.popDue(options.now);
      if (offset === undefined) return;
      const entry = this.pending.get(offset)!; // popDue hands out current due times only
      // A FIFO message that is not its group's head is re-scheduled when the head finishes.
      if (entry.groupHash !== undefined && this.chains.get(entry.groupHash)?.[0] !== entry.offset) continue;
      // The receiving consumer's filter decides, as for a first delivery: the group no longer takes other tags.
      if (!options.mayMatch(this.queue.tagHashOf(entry.offset))) {
        this.finish(entry.offset, options.now);
        continue;
      }
      if (entry.attempt >= options.maxAttempts) result.exhausted.push(entry);
      else result.deliver.push(entry);
    }
  }

  private takeNew(options: TakeOptions, result: TakeResult): void {
    const { queue } = this;
    if (this.next < queue.minOffset) this.next = queue.minOffset;
    while (result.deliver.length < options.limit && this.next < queue.visibleEnd) {
      const offset = this.next++;
      if (offset < this.floor || this.done.has(offset) || this.pending.has(offset)) continue;
      if (!queue.has(offset) || !options.mayMatch(queue.tagHashOf(offset))) {
        this.finish(offset, options.now);
        continue;
      }
      const entry: PendingMessage = { offset, attempt: 0, visibleAt: options.now, version: 0 };
      this.pending.set(offset, entry);
      const groupHash = options.fifo ? queue.groupHashOf(offset) : 0;
      if (groupHash !== 0) {
        entry.groupHash = groupHash;
        const chain = this.chains.get(groupHash);
        if (chain) {
          chain.push(offset);
          entry.visibleAt = Infinity;
          continue;
        }
        this.chains.set(groupHash, [offset]);
      }
      result.deliver.push(entry);
    }
  }

  private setVisibleAt(entry: PendingMessage, visibleAt: number): void {
    entry.version++;
    entry.visibleAt = visibleAt;
    this.due.add(entry.offset, entry.version, visibleAt);
  }

  private advanceChain(groupHash: number, offset: number, now: number): void {
    const chain = this.chains.get(groupHash);
    if (!chain) return;
    const index = chain.indexOf(offset);
    if (index >= 0) chain.splice(index, 1);
    if (chain.length === 0) {
      this.chains.delete(groupHash);
      return;
    }
    const head = this.pending.get(chain[0]);
    if (!head) return;
    if (head.visibleAt === Infinity) head.visibleAt = now;
    this.due.add(head.offset, head.version, head.visibleAt);
  }
}
