import type { PendingMessage, QueueCursor } from '../consumption/queue-cursor';
import type { Subscription } from '../consumption/subscription';
import type { Topic } from '../messaging/topic';
import { type DeliveredRecord, type ReopenedRecord, StateRecord, type StateJournal } from '../persistence/state-journal';
import type { Clock } from '../scheduling/clock';

/**
 * The one writer of the state journal: every consumer-group change (subscribed, delivered,
 * finished, reopened, deleted) is recorded here, so what recovery replays has a single source.
 */
export class ProgressJournal {
  constructor(
    private readonly journal: StateJournal,
    private readonly clock: Clock,
  ) {}

  /** Resolves once the group's start offsets are durable. */
  subscribed(group: string, topic: Topic, startOffsets: number[]): Promise<void> {
    return this.journal.append({ type: StateRecord.Subscribed, record: { group, topic: topic.name, topicId: topic.id, startOffsets } }, this.clock.now());
  }

  /**
   * Deliveries need not be durable before they go out: losing the record only means an earlier
   * redelivery. So the record rides along with the next ack's write instead of costing one of its own.
   */
  delivered(subscription: Subscription, taken: readonly { cursor: QueueCursor; entry: PendingMessage }[]): void {
    const { group, topic } = subscription;
    const items: DeliveredRecord['items'] = taken.map(({ cursor, entry }) => [cursor.queue.id, entry.offset, entry.attempt, entry.visibleAt, entry.version, entry.groupHash ?? 0]);
    void this.journal
      .append({ type: StateRecord.Delivered, record: { group: group.config.name, topic: topic.name, topicId: topic.id, items } }, this.clock.now(), true)
      .catch(() => undefined);
  }

  /** Resolves once the group's being done with these [queueId, offset] is durable. */
  finished(subscription: Subscription, items: [number, number][]): Promise<void> {
    const { group, topic } = subscription;
    return this.journal.append({ type: StateRecord.Finished, record: { group: group.config.name, topic: topic.name, topicId: topic.id, items } }, this.clock.now());
  }

  reopened(record: ReopenedRecord): Promise<void> {
    return this.journal.append({ type: StateRecord.Reopened, record }, this.clock.now());
  }

  groupDeleted(group: string): Promise<void> {
    return this.journal.append({ type: StateRecord.GroupDeleted, record: { group } }, this.clock.now());
  }
}
