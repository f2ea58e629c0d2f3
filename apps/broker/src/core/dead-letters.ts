import type { Logger } from 'pino';
import type { BrokerMetrics } from '../admin/metrics';
import type { Groups } from '../consumption/groups';
import type { PendingMessage, QueueCursor } from '../consumption/queue-cursor';
import { deadLetterTopic, draftOf, type StoredMessage } from '../messaging/message';
import type { Topic } from '../messaging/topic';
import type { TopicRegistry } from '../messaging/topic-registry';
import type { MessageLog } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import type { LongPolling } from '../scheduling/long-polling';
import type { MessageAppender } from './message-appender';
import type { ProgressJournal } from './progress-journal';

/** Dead letters read back at most for one listing or replay. */
const MAX_SCANNED = 10_000;

/**
 * Messages a group gave up on move to `%DLQ%<group>` (a copy that says where it came from), and can
 * be handed back to that group only: the original becomes deliverable again with fresh attempts.
 */
export class DeadLetters {
  /** `<group> <offset>` of %DLQ% copies already handed back to their group. */
  readonly replayed = new Set<string>();

  constructor(
    private readonly topics: TopicRegistry,
    private readonly groups: Groups,
    private readonly appender: MessageAppender,
    private readonly log: MessageLog,
    private readonly progress: ProgressJournal,
    private readonly polling: LongPolling,
    private readonly clock: Clock,
    private readonly metrics: BrokerMetrics,
    private readonly logger: Logger,
    /** Creates and persists a system topic. */
    private readonly createTopic: (name: string) => Promise<Topic>,
  ) {}

  /**
   * Copies the message to the group's DLQ; resolves once the copy is durable. A damaged message
   * (undefined) has no copy: it was already reported. The caller finishes the message for the group.
   */
  async copy(group: { name: string }, topic: Topic, cursor: QueueCursor, entry: PendingMessage, message: StoredMessage | undefined, reason: string): Promise<void> {
    if (message) {
      const dlq = this.topics.get(deadLetterTopic(group.name)) ?? (await this.createTopic(deadLetterTopic(group.name)));
      const copy = draftOf(message);
      copy.topic = dlq.name;
      copy.type = 'NORMAL';
      copy.messageGroup = undefined;
      copy.deliverAt = undefined;
      copy.properties = { ...message.properties, DLQ_ORIGIN_TOPIC: topic.name, DLQ_REASON: reason, DLQ_ATTEMPTS: String(entry.attempt) };
      copy.deadLetterOf = { topic: topic.name, messageId: message.messageId, queueId: cursor.queue.id, offset: entry.offset };
      await this.appender.append(dlq, copy, { transactionId: message.transactionId }).durable;
      this.logger.warn({ group: group.name, topic: topic.name, messageId: message.messageId, attempts: entry.attempt, reason }, 'message dead-lettered');
    }
    this.metrics.deadLettered.inc({ topic: topic.name, consumer_group: group.name });
    this.metrics.trail.record('dead-lettered', group.name, topic.id, cursor.queue.id, entry.offset, entry.attempt, this.clock.now(), reason);
  }

  /** The group's dead letters not yet replayed, oldest first (the newest `limit`). */
  async list(groupName: string, limit = MAX_SCANNED): Promise<StoredMessage[]> {
    const dlq = this.topics.get(deadLetterTopic(groupName));
    if (!dlq) return [];
    const queue = dlq.queues[0];
    const locations = [];
    for (let offset = queue.maxOffset - 1; offset >= queue.minOffset && locations.length < limit; offset--) {
      const entry = queue.entry(offset);
      if (entry && !this.replayed.has(`${groupName} ${offset}`)) locations.push(entry);
    }
    const messages = await this.log.readMessages(locations.reverse());
    return messages.filter((message): message is StoredMessage => message !== undefined);
  }

  /** Copies in the group's DLQ not handed back yet, counted from the queue's bounds (no message is read). */
  count(groupName: string): number {
    const queue = this.topics.get(deadLetterTopic(groupName))?.queues[0];
    if (!queue) return 0;
    let replayed = 0;
    for (const key of this.replayed) {
      const [group, offset] = key.split(' ');
      if (group === groupName && Number(offset) >= queue.minOffset) replayed++;
    }
    return Math.max(0, queue.maxOffset - queue.minOffset - replayed);
  }

  /**
   * Hands dead letters (all, or those with the given message ids) back to their group only.
   * Returns the message ids replayed; a copy whose original left retention cannot be replayed.
   */
  async replay(groupName: string, messageIds?: string[]): Promise<string[]> {
    const group = this.groups.get(groupName);
    if (!group) return [];
    const wanted = messageIds && new Set(messageIds);
    const replayed: string[] = [];
    const now = this.clock.now();
    for (const copy of await this.list(groupName)) {
      const origin = copy.deadLetterOf;
      if (!origin || (wanted && !wanted.has(copy.messageId))) continue;
      const topic = this.topics.get(origin.topic);
      const cursor = topic && group.subscription(topic.name, topic.id)?.cursors[origin.queueId];
      if (!topic || !cursor?.reopen(origin.offset, now)) continue;
      this.replayed.add(`${groupName} ${copy.offset}`);
      this.metrics.trail.record('replayed', groupName, topic.id, origin.queueId, origin.offset, 0, now);
      await this.progress.reopened({ group: groupName, topic: topic.name, topicId: topic.id, queueId: origin.queueId, offset: origin.offset, deadLetterOffset: copy.offset, at: now });
      this.polling.notify(topic.name);
      replayed.push(copy.messageId);
    }
    return replayed;
  }

  /** Retention removed a DLQ's copies below `minOffset`. */
  forgetBelow(groupName: string, minOffset: number): void {
    for (const key of this.replayed) {
      const [group, offset] = key.split(' ');
      if (group === groupName && Number(offset) < minOffset) this.replayed.delete(key);
    }
  }
}
