import type { BrokerConfig } from '../config/broker-config';
import type { MessageDraft } from './message';
import type { LogLocation } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import { TimerQueue } from '../scheduling/timer-queue';

/**
 * A message stored but not in its queue yet: a transaction half message or a future delay message.
 * Memory holds this entry; fields and body stay in the message log at `location`.
 */
export interface StagedEntry {
  messageId: string;
  topic: string;
  /** Set for half messages. */
  transactionId?: string;
  /** Set for delay messages: when to release. */
  deliverAt?: number;
  storedAt: number;
  /** Check-backs sent so far (half messages). */
  checks: number;
  location: LogLocation;
}

/** What a checkpoint keeps of a staged message (the entry itself: it is small). */
export type StagedSnapshot = StagedEntry;

/**
 * What to do when a timer fires. The entry is still listed: the action takes it out (`take`) in the
 * same tick as it appends the record that replaces it, so a checkpoint never misses it in between.
 */
export interface StagingActions {
  release(entry: StagedEntry): void;
  discard(entry: StagedEntry, reason: string): void;
  /** Asks a producer to resolve a half message. */
  check(entry: StagedEntry): void;
}

/**
 * Half messages wait for EndTransaction (or a check-back answer); delay messages wait for their
 * delivery time. Either way they leave by being released into their queue or discarded.
 */
export class Staging {
  private readonly entries = new Map<string, StagedEntry>();
  private readonly deliveries: TimerQueue;
  private readonly checks: TimerQueue;
  private scheduling = false;

  constructor(
    private readonly transaction: BrokerConfig['transaction'],
    private readonly clock: Clock,
    private readonly actions: StagingActions,
  ) {
    this.deliveries = new TimerQueue(clock, (id) => {
      const entry = this.entries.get(id);
      if (entry) this.actions.release(entry);
    });
    this.checks = new TimerQueue(clock, (id) => this.checkBack(id));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes the staged messages take in the log. */
  get bytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.location.size;
    return total;
  }

  get(messageId: string): StagedEntry | undefined {
    return this.entries.get(messageId);
  }

  /** A new staged message, or (recovery) one found in a checkpoint or the log; timers start with `start`. */
  add(entry: StagedEntry): void {
    this.entries.set(entry.messageId, entry);
    if (this.scheduling) this.schedule(entry);
  }

  /** Recovery: the message was released or discarded later in the log. */
  forget(messageId: string): void {
    this.entries.delete(messageId);
  }

  /** Starts the timers: recovery is complete. */
  start(): void {
    this.scheduling = true;
    for (const entry of this.entries.values()) this.schedule(entry);
  }

  half(transactionId: string): StagedEntry | undefined {
    const entry = this.entries.get(transactionId);
    return entry?.transactionId === transactionId ? entry : undefined;
  }

  halves(): StagedEntry[] {
    return [...this.entries.values()].filter((entry) => entry.transactionId !== undefined);
  }

  /** Staged messages whose records lie before `position` (retention copies them forward). */
  before(position: number): StagedEntry[] {
    return [...this.entries.values()].filter((entry) => entry.location.position < position);
  }

  /** Staged messages whose records end past `position` (recovery: a cut tail took them). */
  endingAfter(position: number): StagedEntry[] {
    return [...this.entries.values()].filter((entry) => entry.location.position + entry.location.size > position);
  }

  /** Like Apache's RecallMessageHandle: base64url("v1 <topic> <broker> <timestamp> <messageId>"). */
  static recallHandle(topic: string, deliverAt: number, messageId: string): string {
    return Buffer.from(`v1 ${topic} embedded ${deliverAt} ${messageId}`).toString('base64url');
  }

  /** The delay message a recall handle names, if it is still staged. */
  recalled(topic: string, recallHandle: string): StagedEntry | undefined {
    const [version, handleTopic, , , messageId] = Buffer.from(recallHandle, 'base64url').toString().split(' ');
    const entry = version === 'v1' && handleTopic === topic ? this.entries.get(messageId) : undefined;
    return entry?.transactionId === undefined ? entry : undefined;
  }

  snapshot(): StagedSnapshot[] {
    return [...this.entries.values()].map((entry) => ({ ...entry }));
  }

  stop(): void {
    this.scheduling = false;
    this.deliveries.stop();
    this.checks.stop();
  }

  private schedule(entry: StagedEntry): void {
    if (entry.transactionId !== undefined) {
      const first = entry.storedAt + this.transaction.firstCheckAfterMs;
      this.checks.schedule(entry.messageId, entry.checks === 0 ? first : Math.max(first, this.clock.now()));
    } else this.deliveries.schedule(entry.messageId, entry.deliverAt ?? 0);
  }

  /** Removes the entry and its timers; the caller decides what becomes of it. */
  take(messageId: string): StagedEntry | undefined {
    const entry = this.entries.get(messageId);
    if (!entry) return undefined;
    this.entries.delete(messageId);
    this.deliveries.cancel(messageId);
    this.checks.cancel(messageId);
    return entry;
  }

  private checkBack(messageId: string): void {
    const entry = this.entries.get(messageId);
    if (!entry) return;
    if (entry.checks >= this.transaction.maxChecks) {
      this.actions.discard(entry, `no resolution after ${entry.checks} check-backs: rolled back`);
      return;
    }
    entry.checks++;
    this.actions.check(entry);
    this.checks.schedule(messageId, this.clock.now() + this.transaction.checkIntervalMs);
  }
}

/** A staged message read back from the log, e.g. for a transaction check-back. */
export type StagedMessage = MessageDraft & { storedAt: number; transactionId?: string };
