import type { BrokerMetrics } from '../admin/metrics';
import type { ConsumerGroup } from '../consumption/consumer-group';
import type { Groups } from '../consumption/groups';
import type { PendingMessage, QueueCursor } from '../consumption/queue-cursor';
import type { ReceiptHandles } from '../consumption/receipt-handle';
import type { Subscription, Taken } from '../consumption/subscription';
import { BrokerError, Code } from '../errors';
import type { SubscriptionFilter } from '../filtering';
import type { StoredMessage } from '../messaging/message';
import type { Topic } from '../messaging/topic';
import type { TopicRegistry } from '../messaging/topic-registry';
import type { MessageLog } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import type { LongPolling } from '../scheduling/long-polling';
import type { DeadLetters } from './dead-letters';
import type { ProgressJournal } from './progress-journal';

export interface ReceiveRequest {
  group: string;
  topic: string;
  filter: SubscriptionFilter;
  batchSize: number;
  invisibleMs: number;
  /** Epoch ms until which the call may wait for messages. */
  pollUntil: number;
  signal: AbortSignal;
}

export interface Delivery {
  message: StoredMessage;
  attempt: number;
  receiptHandle: string;
}

/** A message a group is done with: acknowledged or dead-lettered. */
interface Finished {
  cursor: QueueCursor;
  offset: number;
  groupHash?: number;
}

interface Resolved {
  group: ConsumerGroup;
  subscription: Subscription;
  cursor: QueueCursor;
  entry: PendingMessage;
}

/**
 * Consumer groups receiving, acknowledging and retrying: cursors choose what to deliver from the
 * queue index, bodies come from the log (or its cache), and every batch of deliveries or acks is
 * one record in the state journal. Acks resolve once their record is durable.
 */
export class Consuming {
  /** Subscriptions whose start offsets are not durable yet. */
  private readonly subscribing = new Map<Subscription, Promise<void>>();

  constructor(
    private readonly topics: TopicRegistry,
    private readonly groups: Groups,
    private readonly log: MessageLog,
    private readonly progress: ProgressJournal,
    private readonly polling: LongPolling,
    private readonly deadLetters: DeadLetters,
    private readonly receiptHandles: ReceiptHandles,
    private readonly clock: Clock,
    private readonly metrics: BrokerMetrics,
    private readonly isClosed: () => boolean,
  ) {}

  async receive(request: ReceiveRequest): Promise<Delivery[]> {
    const topic = this.topics.require(request.topic);
    const subscription = await this.subscription(this.groups.group(request.group), topic);
    const audience = `${request.group}\u0000${request.filter.key}`;
    for (;;) {
      const deliveries = await this.take(subscription, request);
      if (deliveries.length > 0 || request.signal.aborted || this.isClosed()) {
        // A full batch may have left messages behind, and a call that ends unanswered may have been the
        // one woken for them: the next parked call of its audience looks (LongPolling wakes one each).
        if (deliveries.length >= request.batchSize || deliveries.length === 0) this.polling.notifyAudience(topic.name, audience);
        return deliveries;
      }
      if (this.clock.now() >= request.pollUntil) return [];
      await this.polling.wait(topic.name, audience, Math.min(request.pollUntil, subscription.nextDueAt() ?? Infinity), request.signal);
    }
  }

  /**
   * Acknowledges a batch of one group and topic; the results say, per handle, what failed. Resolves
   * once the acks are durable; only then may FIFO successors be delivered.
   */
  async ack(groupName: string, topicName: string, receiptHandles: readonly string[]): Promise<(BrokerError | undefined)[]> {
    const now = this.clock.now();
    const finished: Finished[] = [];
    let subscription: Subscription | undefined;
    const results = receiptHandles.map((handle) => {
      try {
        const resolved = this.resolve(groupName, topicName, handle);
        subscription = resolved.subscription;
        resolved.cursor.finish(resolved.entry.offset, now, subscription.group.config.fifo);
        finished.push({ cursor: resolved.cursor, offset: resolved.entry.offset, groupHash: resolved.entry.groupHash });
        return undefined;
      } catch (error) {
        return BrokerError.from(error);
      }
    });
    if (subscription && finished.length > 0) {
      this.metrics.acks.inc({ topic: subscription.topic.name, consumer_group: groupName }, finished.length);
      for (const { cursor, offset } of finished) this.metrics.trail.record('acked', groupName, subscription.topic.id, cursor.queue.id, offset, 0, now);
      await this.recordFinished(subscription, finished);
    }
    return results;
  }

  changeInvisibleDuration(groupName: string, topicName: string, receiptHandle: string, invisibleMs: number): string {
    const resolved = this.resolve(groupName, topicName, receiptHandle);
    resolved.cursor.changeVisibility(resolved.entry, this.clock.now() + invisibleMs);
    this.progress.delivered(resolved.subscription, [resolved]);
    // A parked receive recomputes when to look again, so a shorter invisible time takes effect at once.
    this.polling.notify(topicName);
    return this.handleOf(resolved.subscription, resolved.cursor, resolved.entry);
  }

  /**
   * Keeps a delivery invisible for `invisibleMs` more without changing its receipt handle (auto-renew).
   * Returns false once the delivery is finished or superseded.
   */
  extendInvisibility(groupName: string, topicName: string, receiptHandle: string, invisibleMs: number): boolean {
    try {
      const resolved = this.resolve(groupName, topicName, receiptHandle);
      resolved.cursor.extendVisibility(resolved.entry, this.clock.now() + invisibleMs);
      this.progress.delivered(resolved.subscription, [resolved]);
      return true;
    } catch {
      return false;
    }
  }

  /** Makes a delivery visible again at once, e.g. when the receiving stream broke before it was written. */
  release(groupName: string, topicName: string, receiptHandle: string): void {
    try {
      this.changeInvisibleDuration(groupName, topicName, receiptHandle, 0);
    } catch {
      // Already acknowledged or redelivered: nothing to release.
    }
  }

  /** Dead-letters a delivered message: the client gave up on it, or it cannot be delivered (`reason` says which). */
  async forwardToDeadLetterQueue(groupName: string, topicName: string, receiptHandle: string, reason: string): Promise<void> {
    const { subscription, cursor, entry } = this.resolve(groupName, topicName, receiptHandle);
    const [message] = await this.log.readMessages([this.locationOf(cursor, entry)]);
    await this.deadLetter(subscription, cursor, entry, message, reason);
  }

  lagReport(): { topic: string; group: string; backlog: number; inflight: number; retrying: number; acked: number }[] {
    const now = this.clock.now();
    const rows = [];
    for (const group of this.groups.list()) {
      for (const subscription of group.subscriptions.values()) rows.push({ group: group.name, ...subscription.stats(now) });
    }
    return rows;
  }

  /** The group's subscription to the topic: created (durably, with its start offsets) on first receive. */
  private async subscription(group: ConsumerGroup, topic: Topic): Promise<Subscription> {
    const existing = group.subscription(topic.name, topic.id);
    if (existing) {
      // A receive racing the first must not answer before the start offsets are durable either.
      await this.subscribing.get(existing);
      return existing;
    }
    const startOffsets = group.startOffsets(topic);
    const subscription = group.subscribe(topic, startOffsets);
    const durable = this.progress.subscribed(group.name, topic, startOffsets).finally(() => this.subscribing.delete(subscription));
    this.subscribing.set(subscription, durable);
    await durable;
    return subscription;
  }

  /**
   * One receive's worth: cursors pick offsets from the index (skipping other tags unread), the log
   * returns their messages, the exact filter decides, out-of-attempts messages are dead-lettered.
   */
  private async take(subscription: Subscription, request: ReceiveRequest): Promise<Delivery[]> {
    const group = subscription.group as ConsumerGroup;
    for (;;) {
      const selected = subscription.take(this.clock.now(), request.batchSize, (tagHash) => request.filter.mayMatch(tagHash));
      const chosen = [...selected.deliver, ...selected.exhausted];
      if (chosen.length === 0) return [];
      const versions = chosen.map(({ entry }) => entry.version);
      let messages: (StoredMessage | undefined)[];
      try {
        messages = await this.log.readMessages(chosen.map(({ cursor, entry }) => this.locationOf(cursor, entry)));
      } catch (error) {
        for (const { cursor, entry } of chosen) cursor.putBack(entry, this.clock.now());
        throw error;
      }
      const now = this.clock.now();
      const deliveries: Delivery[] = [];
      const delivered: Taken[] = [];
      selected.deliver.forEach(({ cursor, entry }, i) => {
        // Acknowledged, or its visibility changed, while the message was being read: leave it be.
        if (!cursor.unchanged(entry, versions[i])) return;
        const message = messages[i];
        if (!message) cursor.queue.markLost(entry.offset);
        if (!message || !request.filter.matches(message)) return cursor.finish(entry.offset, now);
        cursor.markDelivered(entry, request.invisibleMs, now);
        delivered.push({ cursor, entry });
        deliveries.push({ message, attempt: entry.attempt, receiptHandle: this.handleOf(subscription, cursor, entry) });
      });
      const offset = selected.deliver.length;
      await Promise.all(
        selected.exhausted.map(({ cursor, entry }, i) =>
          cursor.unchanged(entry, versions[offset + i]) ? this.deadLetter(subscription, cursor, entry, messages[offset + i], 'max attempts reached') : undefined,
        ),
      );
      if (deliveries.length > 0) {
        this.progress.delivered(subscription, delivered);
        this.metrics.messagesOut.inc({ topic: subscription.topic.name, consumer_group: group.name }, deliveries.length);
        for (const { cursor, entry } of delivered) this.metrics.trail.record('delivered', group.name, subscription.topic.id, cursor.queue.id, entry.offset, entry.attempt, now);
        return deliveries;
      }
      // Everything chosen was filtered out, lost or dead-lettered: look further.
    }
  }

  /** Copies the message to the group's DLQ (durably), then finishes it for the group. */
  private async deadLetter(subscription: Subscription, cursor: QueueCursor, entry: PendingMessage, message: StoredMessage | undefined, reason: string): Promise<void> {
    const group = subscription.group as ConsumerGroup;
    await this.deadLetters.copy(group, subscription.topic, cursor, entry, message, reason);
    cursor.finish(entry.offset, this.clock.now(), group.config.fifo);
    await this.recordFinished(subscription, [{ cursor, offset: entry.offset, groupHash: entry.groupHash }]);
  }

  /** Records finished messages; once that is durable, FIFO successors may be delivered. */
  private async recordFinished(subscription: Subscription, finished: readonly Finished[]): Promise<void> {
    await this.progress.finished(subscription, finished.map(({ cursor, offset }): [number, number] => [cursor.queue.id, offset]));
    if (subscription.group.config.fifo) {
      for (const { cursor, offset, groupHash } of finished) cursor.releaseChain(groupHash, offset, this.clock.now());
      this.polling.notify(subscription.topic.name);
    }
  }

  private locationOf(cursor: QueueCursor, entry: PendingMessage): { position: number; size: number } {
    return cursor.queue.entry(entry.offset) ?? { position: -1, size: 0 };
  }

  private handleOf(subscription: Subscription, cursor: QueueCursor, entry: PendingMessage): string {
    return this.receiptHandles.encode(subscription.group.config.name, subscription.topic.name, { queueId: cursor.queue.id, offset: entry.offset, version: entry.version });
  }

  private resolve(groupName: string, topicName: string, receiptHandle: string): Resolved {
    const handle = this.receiptHandles.decode(groupName, topicName, receiptHandle);
    const group = this.groups.get(groupName);
    const subscription = group?.subscription(topicName);
    const cursor = subscription?.cursors[handle.queueId];
    const entry = cursor?.find(handle.offset, handle.version);
    if (!group || !subscription || !cursor || !entry) {
      throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is unknown or expired: the message was acknowledged, redelivered or never delivered to this group');
    }
    return { group, subscription, cursor, entry };
  }
}
