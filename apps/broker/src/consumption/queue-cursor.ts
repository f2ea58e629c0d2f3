import type { StoredMessage } from '../messaging/message';
import type { MessageQueue } from '../messaging/message-queue';
import { MinHeap } from '../util/min-heap';

/** A message of this queue that the group has seen but not finished. */
export interface PendingMessage {
  offset: number;
  /** Deliveries so far; the next delivery reports attempt + 1. */
  attempt: number;
  /** When it may be (re)delivered. Infinity while it waits behind its message group (FIFO). */
  visibleAt: number;
  /** Bumped by every delivery and visibility change, so a stale receipt handle is recognised. */
  version: number;
  /** Set only for FIFO groups: the message group whose order this message must keep. */
  messageGroup?: string;
}

export interface TakeOptions {
  now: number;
  limit: number;
  fifo: boolean;
  maxAttempts: number;
  filter: (message: StoredMessage) => boolean;
}

export interface TakeResult {
  deliver: PendingMessage[];
  /** Out of attempts: the caller moves these to the dead-letter queue and calls `finish`. */
  exhausted: PendingMessage[];
}

interface DueItem {
  offset: number;
  version: number;
  visibleAt: number;
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
  private readonly due = new MinHeap<DueItem>((item) => item.visibleAt);
  /** FIFO only: the pending offsets of each message group, oldest first; only the head may be delivered. */
  private readonly chains = new Map<string, number[]>();

  constructor(
    readonly queue: MessageQueue,
    private readonly startOffset: number,
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
    return this.due.peek()?.visibleAt;
  }

  markDelivered(entry: PendingMessage, invisibleMs: number, now: number): void {
    entry.attempt++;
    this.setVisibleAt(entry, now + invisibleMs);
  }

  find(offset: number, version: number): PendingMessage | undefined {
    const entry = this.pending.get(offset);
    return entry && entry.version === version && entry.attempt > 0 ? entry : undefined;
  }

  changeVisibility(entry: PendingMessage, visibleAt: number): void {
    this.setVisibleAt(entry, visibleAt);
  }

  /** Auto-renew: later visibility, same receipt handle. */
  extendVisibility(entry: PendingMessage, visibleAt: number): void {
    entry.visibleAt = visibleAt;
    this.due.push({ offset: entry.offset, version: entry.version, visibleAt });
  }

  /** Acknowledged, filtered out or dead-lettered: the group is done with this offset. */
  finish(offset: number, now: number): void {
    const entry = this.pending.get(offset);
    this.pending.delete(offset);
    if (entry?.messageGroup !== undefined) this.advanceChain(entry.messageGroup, offset, now);
    if (offset < this.floor) return;
    this.done.add(offset);
    while (this.done.delete(this.floor)) this.floor++;
  }

  /** Retention removed messages below `minOffset`: forget them. */
  trim(minOffset: number): void {
    if (minOffset <= this.floor) return;
    for (const offset of this.done) if (offset < minOffset) this.done.delete(offset);
    for (const [offset, entry] of this.pending) {
      if (offset >= minOffset) continue;
      this.pending.delete(offset);
      if (entry.messageGroup !== undefined) this.advanceChain(entry.messageGroup, offset, Date.now());
    }
    this.floor = minOffset;
    this.next = Math.max(this.next, minOffset);
    while (this.done.delete(this.floor)) this.floor++;
  }

  /**
   * DLQ replay: a finished message becomes deliverable to this group again, attempts from zero. It may
   * sit below the commit offset; it is then pending without moving the offset back. Its FIFO order
   * is not restored (its successors went ahead when it was dead-lettered).
   */
  reopen(offset: number, now: number): boolean {
    if (this.pending.has(offset) || !this.queue.get(offset)) return false;
    this.done.delete(offset);
    // A clock-based version can never equal the version of an earlier delivery's receipt handle.
    const entry: PendingMessage = { offset, attempt: 0, visibleAt: now, version: now };
    this.pending.set(offset, entry);
    this.due.push({ offset, version: entry.version, visibleAt: now });
    return true;
  }

  // --- recovery: the journal replays deliveries and acks, then `resume` rebuilds the schedule ---

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

  resume(): void {
    this.next = this.floor;
    this.due.clear();
    const restored = [...this.pending.values()].sort((a, b) => a.offset - b.offset);
    for (const entry of restored) {
      if (entry.messageGroup !== undefined) {
        const chain = this.chains.get(entry.messageGroup);
        if (chain) chain.push(entry.offset);
        else this.chains.set(entry.messageGroup, [entry.offset]);
      }
      this.due.push({ offset: entry.offset, version: entry.version, visibleAt: entry.visibleAt });
    }
  }

  /** `acked` counts every message the group finished since it started: acknowledged, filtered out or dead-lettered. */
  stats(now: number): { backlog: number; inflight: number; retrying: number; acked: number } {
    let inflight = 0;
    let retrying = 0;
    for (const entry of this.pending.values()) {
      if (entry.attempt === 0) continue;
      if (entry.visibleAt > now) inflight++;
      else retrying++;
    }
    let reopenedBelowFloor = 0;
    for (const offset of this.pending.keys()) if (offset < this.floor) reopenedBelowFloor++;
    const backlog = Math.max(0, this.queue.maxOffset - Math.max(this.floor, this.queue.minOffset) - this.done.size) + reopenedBelowFloor;
    const acked = Math.max(0, this.queue.maxOffset - this.startOffset - backlog);
    return { backlog, inflight, retrying, acked };
  }

  private takeDue(options: TakeOptions, result: TakeResult): void {
    while (result.deliver.length < options.limit) {
      const top = this.due.peek();
      if (!top || top.visibleAt > options.now) return;
      this.due.pop();
      const entry = this.pending.get(top.offset);
      if (!entry || entry.version !== top.version || entry.visibleAt !== top.visibleAt) continue;
      // A FIFO message that is not its group's head is re-scheduled when the head finishes.
      if (entry.messageGroup !== undefined && this.chains.get(entry.messageGroup)?.[0] !== entry.offset) continue;
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
      const message = queue.get(offset);
      if (!message || !options.filter(message)) {
        this.finish(offset, options.now);
        continue;
      }
      const entry: PendingMessage = { offset, attempt: 0, visibleAt: options.now, version: 0 };
      this.pending.set(offset, entry);
      if (options.fifo && message.messageGroup !== undefined) {
        entry.messageGroup = message.messageGroup;
        const chain = this.chains.get(message.messageGroup);
        if (chain) {
          chain.push(offset);
          entry.visibleAt = Infinity;
          continue;
        }
        this.chains.set(message.messageGroup, [offset]);
      }
      result.deliver.push(entry);
    }
  }

  private setVisibleAt(entry: PendingMessage, visibleAt: number): void {
    entry.version++;
    entry.visibleAt = visibleAt;
    this.due.push({ offset: entry.offset, version: entry.version, visibleAt });
  }

  private advanceChain(messageGroup: string, offset: number, now: number): void {
    const chain = this.chains.get(messageGroup);
    if (!chain) return;
    const index = chain.indexOf(offset);
    if (index >= 0) chain.splice(index, 1);
    if (chain.length === 0) {
      this.chains.delete(messageGroup);
      return;
    }
    const head = this.pending.get(chain[0]);
    if (!head) return;
    if (head.visibleAt === Infinity) head.visibleAt = now;
    this.due.push({ offset: head.offset, version: head.version, visibleAt: head.visibleAt });
  }
}
