/**
 * What the world outside the broker knows: which sends and acks were confirmed, what consumers
 * received. It checks the storage invariants as deliveries arrive and once everything is drained:
 * every confirmed send is delivered unless its record was damaged (and the damage reported) or
 * retention expired it (and said so); no group gets a message again after its ack was confirmed;
 * FIFO order holds; delay messages never come early; rolled-back half messages never come.
 */
export interface SentMessage {
  id: string;
  topic: string;
  /** FIFO: the message group and the message's place in its confirmed send order. */
  messageGroup?: string;
  deliverAt?: number;
  /** Where its record is (file, byte range in it), for excusing a loss by a flipped bit there. */
  record?: { file: string; start: number; end: number };
  /** The operation count when the send started (groups reading from "last" expect only later sends). */
  startedAt: number;
}

export type Resolution = 'commit' | 'rollback';

export class Oracle {
  readonly sent = new Map<string, SentMessage>();
  /** FIFO send order per message group (confirmed sends only). */
  private readonly fifoOrder = new Map<string, string[]>();
  /** Per group: message ids whose ack was confirmed. */
  private readonly acked = new Map<string, Set<string>>();
  /** Per group: acks sent whose outcome nobody saw (the broker died first): they may have taken effect. */
  private readonly maybeAcked = new Map<string, Set<string>>();
  private readonly delivered = new Map<string, Set<string>>();
  /** The producer's own records of its transactions, which the check-back consults. */
  readonly transactions = new Map<string, Resolution>();
  /** Suspected FIFO violations, decided at the end (the earlier message may turn out lost). */
  private readonly fifoSuspects: { group: string; id: string; earlier: string }[] = [];
  /** Acknowledged messages delivered again; excused only for staged messages whose release record was damaged. */
  private readonly againSuspects: { group: string; id: string }[] = [];
  readonly violations: string[] = [];

  sendConfirmed(message: SentMessage): void {
    this.sent.set(message.id, message);
    if (message.messageGroup !== undefined) {
      const order = this.fifoOrder.get(message.messageGroup) ?? [];
      order.push(message.id);
      this.fifoOrder.set(message.messageGroup, order);
    }
  }

  ackConfirmed(group: string, id: string): void {
    this.setOf(this.acked, group).add(id);
  }

  ackUnknown(group: string, id: string): void {
    this.setOf(this.maybeAcked, group).add(id);
  }

  isAcked(group: string, id: string): boolean {
    return this.acked.get(group)?.has(id) ?? false;
  }

  /** A delivery reached a consumer: checks what can be checked at once. */
  received(group: string, id: string, now: number, fifo: boolean): void {
    this.setOf(this.delivered, group).add(id);
    if (this.isAcked(group, id)) this.againSuspects.push({ group, id });
    const message = this.sent.get(id);
    if (!message) return;
    if (message.deliverAt !== undefined && now < message.deliverAt) this.violations.push(`${group} got delay message ${id} ${message.deliverAt - now} ms early`);
    if (this.transactions.get(id) === 'rollback') this.violations.push(`${group} got ${id}, a rolled-back half message`);
    if (fifo && message.messageGroup !== undefined) {
      const order = this.fifoOrder.get(message.messageGroup) ?? [];
      for (const earlier of order.slice(0, order.indexOf(id))) {
        if (!this.isAcked(group, earlier)) this.fifoSuspects.push({ group, id, earlier });
      }
    }
  }

  /**
   * End of run: every expected message was delivered and acked (or dead-lettered) unless excused.
   * `excused(id)` says whether a reported loss covers it; `expired` is what retention reported per group.
   */
  finish(expectations: { group: string; expected: string[]; deadLettered: Set<string>; expired: number }[], excused: (id: string) => boolean): void {
    const lost = new Set<string>();
    for (const { group, expected, deadLettered, expired } of expectations) {
      const maybe = this.maybeAcked.get(group);
      const missing = expected.filter((id) => !this.isAcked(group, id) && !deadLettered.has(id) && !maybe?.has(id));
      const unexplained = missing.filter((id) => !excused(id));
      for (const id of missing) lost.add(id);
      if (unexplained.length > expired) {
        this.violations.push(`${group}: ${unexplained.length} confirmed messages never consumed, only ${expired} reported expired and none damaged: ${unexplained.slice(0, 5).join(', ')}`);
      }
    }
    for (const { group, id } of this.againSuspects) {
      // A damaged release record leaves a delay or half message staged: it is released again (at least once).
      const staged = this.sent.get(id)?.record === undefined;
      if (!staged || !excused(id)) this.violations.push(`${group} got ${id} again after its ack was confirmed`);
    }
    for (const { group, id, earlier } of this.fifoSuspects) {
      if (!lost.has(earlier) && !excused(earlier) && !this.maybeAcked.get(group)?.has(earlier)) this.violations.push(`${group} got ${id} before ${earlier} (same message group) was acknowledged`);
    }
  }

  private setOf(map: Map<string, Set<string>>, key: string): Set<string> {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    return set;
  }
}
