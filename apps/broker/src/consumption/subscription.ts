import type { GroupConfig } from '../config/broker-config';
import type { Topic } from '../messaging/topic';
import { type CursorSnapshot, type PendingMessage, QueueCursor } from './queue-cursor';

export interface Taken {
  cursor: QueueCursor;
  entry: PendingMessage;
}

/** What a checkpoint keeps of a subscription. */
export interface SubscriptionSnapshot {
  topic: string;
  topicId: number;
  startOffsets: number[];
  cursors: CursorSnapshot[];
}

/** One consumer group reading one topic: a cursor per queue, read round-robin for fairness. */
export class Subscription {
  readonly cursors: QueueCursor[];
  private start = 0;

  constructor(
    readonly group: { readonly config: GroupConfig },
    readonly topic: Topic,
    readonly startOffsets: number[],
  ) {
    this.cursors = topic.queues.map((queue, i) => new QueueCursor(queue, startOffsets[i] ?? queue.minOffset));
  }

  take(now: number, limit: number, mayMatch: (tagHash: number) => boolean): { deliver: Taken[]; exhausted: Taken[] } {
    const deliver: Taken[] = [];
    const exhausted: Taken[] = [];
    const count = this.cursors.length;
    this.start = (this.start + 1) % count;
    const { fifo, maxAttempts } = this.group.config;
    for (let i = 0; i < count && deliver.length < limit; i++) {
      const cursor = this.cursors[(this.start + i) % count];
      const taken = cursor.take({ now, limit: limit - deliver.length, fifo, maxAttempts, mayMatch });
      for (const entry of taken.deliver) deliver.push({ cursor, entry });
      for (const entry of taken.exhausted) exhausted.push({ cursor, entry });
    }
    return { deliver, exhausted };
  }

  /** Earliest moment something may become deliverable without a new message arriving. */
  nextDueAt(): number | undefined {
    let earliest: number | undefined;
    for (const cursor of this.cursors) {
      const due = cursor.nextDueAt();
      if (due !== undefined && (earliest === undefined || due < earliest)) earliest = due;
    }
    return earliest;
  }

  stats(now: number): { topic: string; backlog: number; inflight: number; retrying: number; acked: number } {
    const total = { topic: this.topic.name, backlog: 0, inflight: 0, retrying: 0, acked: 0 };
    for (const cursor of this.cursors) {
      const s = cursor.stats(now);
      total.backlog += s.backlog;
      total.inflight += s.inflight;
      total.retrying += s.retrying;
      total.acked += s.acked;
    }
    return total;
  }

  backlogBytes(): number {
    return this.cursors.reduce((sum, cursor) => sum + cursor.backlogBytes(), 0);
  }

  snapshot(): SubscriptionSnapshot {
    return { topic: this.topic.name, topicId: this.topic.id, startOffsets: this.startOffsets, cursors: this.cursors.map((cursor) => cursor.snapshot()) };
  }
}
