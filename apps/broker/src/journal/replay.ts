import type { ConsumerGroup } from '../consumption/consumer-group';
import type { StoredMessage } from '../messaging/message';
import type { StagedMessages } from '../messaging/staged-messages';
import type { TopicRegistry } from '../messaging/topic-registry';
import type { CommitLog, RecoveryReport } from '../storage/commit-log';
import {
  RecordType,
  decodeJson,
  decodeWithBody,
  type DeliveredRecord,
  type DiscardedRecord,
  type FinishedRecord,
  type GroupDeletedRecord,
  type MessageMeta,
  type ReopenedRecord,
  type StagedMeta,
  type SubscribedRecord,
} from './records';

export interface ReplayTarget {
  topics: TopicRegistry;
  group(name: string): ConsumerGroup;
  groups(): Iterable<ConsumerGroup>;
  deleteGroup(name: string): void;
  /** A DLQ copy that was replayed: no longer listed among the group's dead letters. */
  markReplayed(group: string, deadLetterOffset: number): void;
  staged: StagedMessages;
  indexMessage(message: StoredMessage): void;
}

/**
 * Rebuilds the broker from the commit log: messages into their queues, staged messages, and each
 * group's subscriptions, in-flight deliveries and acknowledgements. Records about topics deleted
 * since (or messages older than the topic's current incarnation) are skipped.
 */
export async function replayJournal(log: CommitLog, target: ReplayTarget): Promise<RecoveryReport & { skipped: number }> {
  let skipped = 0;
  const cursorOf = (record: { group: string; topic: string; queueId: number }) =>
    target.group(record.group).subscription(record.topic)?.cursors[record.queueId];

  const report = await log.replay((type, payload, position) => {
    switch (type) {
      case RecordType.Message: {
        const { meta, body } = decodeWithBody<MessageMeta>(payload);
        if (meta.releases) target.staged.forget(meta.releases);
        const topic = target.topics.get(meta.topic);
        const queue = topic?.queues[meta.queueId];
        if (!topic || !queue || meta.storedAt < target.topics.createdAt(meta.topic) || meta.offset < queue.maxOffset) {
          skipped++;
          return;
        }
        const { releases: _releases, ...fields } = meta;
        const message: StoredMessage = { ...fields, body, position };
        queue.restore(message);
        if (!message.deadLetterOf) target.indexMessage(message);
        return;
      }
      case RecordType.Staged: {
        const { meta, body } = decodeWithBody<StagedMeta>(payload);
        target.staged.restore(meta, body);
        return;
      }
      case RecordType.Discarded:
        target.staged.forget(decodeJson<DiscardedRecord>(payload).messageId);
        return;
      case RecordType.Subscribed: {
        const record = decodeJson<SubscribedRecord>(payload);
        const topic = target.topics.get(record.topic);
        if (topic) target.group(record.group).subscribe(topic, record.startOffsets);
        return;
      }
      case RecordType.Delivered: {
        const record = decodeJson<DeliveredRecord>(payload);
        const cursor = cursorOf(record);
        if (!cursor) return;
        const group = target.group(record.group);
        const messageGroup = group.config.fifo ? cursor.queue.get(record.offset)?.messageGroup : undefined;
        cursor.restoreDelivery({ offset: record.offset, attempt: record.attempt, visibleAt: record.visibleAt, version: record.version, messageGroup });
        return;
      }
      case RecordType.Finished: {
        const record = decodeJson<FinishedRecord>(payload);
        cursorOf(record)?.restoreFinish(record.offset);
        return;
      }
      case RecordType.Reopened: {
        const record = decodeJson<ReopenedRecord>(payload);
        cursorOf(record)?.reopen(record.offset, record.at);
        target.markReplayed(record.group, record.deadLetterOffset);
        return;
      }
      case RecordType.GroupDeleted:
        target.deleteGroup(decodeJson<GroupDeletedRecord>(payload).group);
        return;
      default:
        skipped++;
    }
  });

  for (const group of target.groups()) for (const subscription of group.subscriptions.values()) subscription.cursors.forEach((cursor) => cursor.resume());
  target.staged.scheduleRestored();
  return { ...report, skipped };
}
