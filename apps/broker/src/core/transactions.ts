import type { Logger } from 'pino';
import type { BrokerMetrics } from '../admin/metrics';
import type { BrokerConfig } from '../config/broker-config';
import { BrokerError, Code } from '../errors';
import { draftOf, type MessageDraft } from '../messaging/message';
import { type StagedEntry, type StagedMessage, Staging } from '../messaging/staging';
import type { TopicRegistry } from '../messaging/topic-registry';
import type { StagedMeta } from '../persistence/log-records';
import type { MessageLog } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import type { MessageAppender } from './message-appender';

export interface StageResult {
  messageId: string;
  recallHandle?: string;
}

/**
 * Half messages and delay messages: stored in the message log as Staged records, listed in
 * `staging` (memory holds the entry, the log the body), and released into their queue on commit or
 * when due, or discarded (rollback, recall, no answer to check-backs). Retention copies staged
 * records forward instead of deleting them.
 */
export class Transactions {
  readonly staging: Staging;

  constructor(
    transaction: BrokerConfig['transaction'],
    private readonly clock: Clock,
    private readonly log: MessageLog,
    private readonly appender: MessageAppender,
    private readonly topics: TopicRegistry,
    private readonly logger: Logger,
    private readonly metrics: BrokerMetrics,
    /** Asks a live producer of the topic to resolve a half message; false if none is connected. */
    private readonly checkTransaction: (message: StagedMessage) => boolean,
  ) {
    // Timer-driven: failures are logged where they happen (a failed log is fail-stop for every send anyway).
    const quietly = (work: Promise<void>) => void work.catch(() => undefined);
    this.staging = new Staging(transaction, clock, {
      release: (entry) => quietly(this.release(entry)),
      discard: (entry, reason) => quietly(this.discard(entry, reason)),
      check: (entry) => quietly(this.check(entry)),
    });
  }

  /** Stores a half or delay message; resolves once it is durable. */
  async stage(draft: MessageDraft): Promise<StageResult> {
    const { body, ...fields } = draftOf(draft);
    const meta: StagedMeta = { ...fields, storedAt: this.clock.now() };
    if (draft.type === 'TRANSACTION') meta.transactionId = draft.messageId;
    const { location, durable } = this.log.appendStaged(meta, body);
    // Listed at once, so that a checkpoint taken before the sync completes still knows it.
    this.staging.add({ messageId: draft.messageId, topic: draft.topic, transactionId: meta.transactionId, deliverAt: draft.deliverAt, storedAt: meta.storedAt, checks: 0, location });
    await durable;
    return draft.type === 'TRANSACTION' ? { messageId: draft.messageId } : { messageId: draft.messageId, recallHandle: Staging.recallHandle(draft.topic, draft.deliverAt ?? 0, draft.messageId) };
  }

  async endTransaction(topicName: string, transactionId: string, messageId: string, commit: boolean): Promise<void> {
    if (!transactionId) throw new BrokerError(Code.INVALID_TRANSACTION_ID, 'transaction id is blank');
    const half = this.staging.half(transactionId);
    if (!half || half.topic !== topicName || (messageId && half.messageId !== messageId)) {
      throw new BrokerError(Code.INVALID_TRANSACTION_ID, `transaction ${transactionId} of topic ${topicName} is unknown or already resolved`);
    }
    this.staging.take(half.messageId);
    await (commit ? this.release(half) : this.discard(half, 'rollback'));
  }

  async recall(topicName: string, recallHandle: string): Promise<string> {
    const entry = this.staging.recall(topicName, recallHandle);
    if (!entry) throw new BrokerError(Code.NOT_FOUND, 'the delay message is unknown, already delivered or already recalled');
    await this.discard(entry, 'recalled');
    return entry.messageId;
  }

  /** Retention: copies the records of staged messages stored before `position` to the end of the log. */
  async relocateBefore(position: number): Promise<number> {
    const moving = this.staging.before(position);
    const writes: Promise<void>[] = [];
    for (const entry of moving) {
      const staged = await this.log.readStaged(entry.location);
      if (!staged || this.staging.get(entry.messageId) !== entry) continue;
      const { location, durable } = this.log.appendStaged(staged.meta, staged.body);
      entry.location = location;
      writes.push(durable);
    }
    await Promise.all(writes);
    return writes.length;
  }

  /** Reads a staged message back (for check-backs and the admin API); undefined when its record is damaged. */
  async read(entry: StagedEntry): Promise<StagedMessage | undefined> {
    const staged = await this.log.readStaged(entry.location);
    return staged && { ...staged.meta, body: staged.body };
  }

  private async release(entry: StagedEntry): Promise<void> {
    try {
      const message = await this.read(entry);
      const topic = this.topics.get(entry.topic);
      if (!message) return await this.discard(entry, 'its record is damaged');
      if (!topic) return await this.discard(entry, 'topic deleted');
      await this.appender.append(topic, draftOf(message), { releases: entry.messageId, transactionId: entry.transactionId }).durable;
    } catch (error) {
      this.logger.error({ err: error, messageId: entry.messageId, topic: entry.topic }, 'staged message not released');
      throw error;
    }
  }

  private async discard(entry: StagedEntry, reason: string): Promise<void> {
    try {
      await this.log.appendDiscarded({ messageId: entry.messageId, reason }, this.clock.now());
    } catch (error) {
      this.logger.error({ err: error, messageId: entry.messageId, topic: entry.topic }, 'staged message not discarded');
      throw error;
    }
    const level = reason === 'rollback' || reason === 'recalled' ? 'info' : 'warn';
    this.logger[level]({ messageId: entry.messageId, topic: entry.topic, reason }, 'staged message discarded');
  }

  private async check(entry: StagedEntry): Promise<void> {
    this.metrics.transactionChecks.inc();
    const message = await this.read(entry);
    if (message) this.checkTransaction(message);
  }
}
