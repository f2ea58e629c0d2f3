import type { Logger } from 'pino';
import type { BrokerMetrics } from '../admin/metrics';
import type { BrokerConfig } from '../config/broker-config';
import type { Groups } from '../consumption/groups';
import type { QueueCursor } from '../consumption/queue-cursor';
import type { TopicRegistry } from '../messaging/topic-registry';
import type { CheckpointStore } from '../persistence/checkpoint-store';
import type { MessageLog } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import type { Checkpointing } from './checkpointing';
import type { DeadLetters } from './dead-letters';
import type { Transactions } from './transactions';

export interface RetentionReport {
  deletedSegments: string[];
  /** Staged (half or delay) messages copied forward out of the deleted segments. */
  relocated: number;
  /** Per `<group> <topic>`: messages deleted before the group consumed them. */
  expired: Record<string, number>;
}

/**
 * Deletes the oldest message segments past `storage.retentionHours` or `storage.retentionBytes`.
 * State never goes with them: staged messages are copied forward first, consumer progress lives
 * in checkpoints, and a group that had not consumed what was deleted continues at the oldest
 * retained message — loudly (a warn line and `rocketmq_messages_expired_total` per group).
 */
export class Retention {
  /** Cursors trimmed whose FIFO successors wait until both checkpoints record the trim. */
  private readonly parked = new Set<QueueCursor>();

  constructor(
    private readonly storage: BrokerConfig['storage'],
    private readonly log: MessageLog,
    private readonly topics: TopicRegistry,
    private readonly groups: Groups,
    private readonly transactions: Transactions,
    private readonly deadLetters: DeadLetters,
    private readonly checkpointing: Checkpointing,
    private readonly checkpoints: CheckpointStore,
    private readonly clock: Clock,
    private readonly metrics: BrokerMetrics,
    private readonly logger: Logger,
  ) {}

  async enforce(): Promise<RetentionReport> {
    const report: RetentionReport = { deletedSegments: [], relocated: 0, expired: {} };
    const cut = this.cutPosition();
    if (cut > this.log.firstPosition) {
      report.relocated = await this.transactions.relocateBefore(cut);
      this.trimQueues(cut, report);
    } else if (this.parked.size === 0) return report;
    // Both retained checkpoints must record the trimmed progress and the relocated staged messages, and
    // start their log scan past the cut, before any segment goes or any FIFO successor of a trimmed
    // message is delivered: either checkpoint may be the one a restart uses.
    await this.checkpointing.now();
    await this.checkpointing.now();
    const now = this.clock.now();
    for (const cursor of this.parked) cursor.wakeChainHeads(now);
    this.parked.clear();
    const safe = Math.min(cut, this.checkpoints.oldest?.logPosition ?? cut);
    report.deletedSegments = (await this.log.deleteSegmentsBelow(safe)).map((segment) => segment.name);
    if (report.deletedSegments.length > 0) this.logger.info({ ...report, retentionHours: this.storage.retentionHours, retentionBytes: this.storage.retentionBytes }, 'retention deleted old segments');
    return report;
  }

  /** The end of the oldest segments to delete: past the age limit, or while the log is over its size. */
  private cutPosition(): number {
    const { retentionHours, retentionBytes } = this.storage;
    const oldestKept = this.clock.now() - retentionHours * 3_600_000;
    let cut = this.log.firstPosition;
    let size = this.log.sizeBytes;
    const segments = this.log.segments;
    for (const segment of segments.slice(0, -1)) {
      if (segment.newestTimestampMs >= oldestKept && size <= retentionBytes) break;
      cut = segment.end;
      size -= segment.size;
    }
    return cut;
  }

  private trimQueues(cut: number, report: RetentionReport): void {
    for (const topic of this.topics.list()) {
      for (const queue of topic.queues) {
        const before = queue.minOffset;
        const minOffset = queue.trimBefore(cut);
        if (minOffset === before) continue;
        if (topic.name.startsWith('%DLQ%')) this.deadLetters.forgetBelow(topic.name.slice('%DLQ%'.length), minOffset);
        for (const group of this.groups.list()) {
          const cursor = group.subscription(topic.name, topic.id)?.cursors[queue.id];
          if (!cursor) continue;
          this.parked.add(cursor);
          const expired = cursor.trim(minOffset);
          if (expired === 0) continue;
          const key = `${group.name} ${topic.name}`;
          report.expired[key] = (report.expired[key] ?? 0) + expired;
        }
      }
    }
    for (const [key, count] of Object.entries(report.expired)) {
      const [group, topic] = key.split(' ');
      this.metrics.expired.inc({ topic, consumer_group: group }, count);
      this.logger.warn({ group, topic, expired: count }, 'retention deleted messages this group had not consumed: it continues at the oldest retained message');
    }
  }
}
