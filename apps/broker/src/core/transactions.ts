import type { Logger } from 'pino';
import type { BrokerMetrics } from '../admin/metrics';
import type { BrokerConfig } from '../config/broker-config';
import { BrokerError, Code } from '../errors';
import { draftOf, type MessageDraft } from '../messaging/message';
import { type StagedEntry, type StagedMessage, Staging } from '../messaging/staging';
import type { TopicRegistry } from '../messaging/topic-registry';
import { stagedMeta } from '../persistence/log-records';
import { ByteBoundedCache } from '../util/byte-bounded-cache';
import type { MessageLog } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import type { MessageAppender } from './message-appender';

export interface StageResult {
  messageId: string;
  recallHandle?: string;
}

/** Staged bodies kept in memory: most half messages are resolved within milliseconds of being sent. */
const STAGED_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * Half messages and delay messages: stored in the message log as Staged records, listed in
 * `staging` (memory holds the entry, the log the body), and released into their queue on commit or
 * when due, or discarded (rollback, recall, no answer to check-backs). Retention copies staged
 * records forward instead of deleting them.
 */

export class Transactions {
  readonly staging: Staging;
  private readonly recent = new ByteBoundedCache<string, StagedMessage>(STAGED_CACHE_BYTES, (message) => message.body.length);
  /** Resolutions under way: a second EndTransaction with the same verdict (the producer's and a check-back's) joins the first. */
  private readonly resolving = new Map<string, { commit: boolean; done: Promise<boolean> }>();

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
    const quietly = (work: Promise<unknown>) => void work.catch(() => undefined);
    this.staging = new Staging(transaction, clock, {
      release: (entry) => quietly(this.release(entry)),
      discard: (entry, reason) => quietly(this.discard(entry, reason)),
      check: (entry) => quietly(this.check(entry)),
    });
  }

  /** Stores a half or delay message; resolves once it is durable. */
  async stage(draft: MessageDraft): Promise<StageResult> {
    const meta = stagedMeta(draft, this.clock.now(), draft.type === 'TRANSACTION' ? draft.messageId : undefined);
    const { location, durable } = this.log.appendStaged(meta, draft.body);
    // Listed at once, so that a checkpoint taken before the sync completes still knows it.
    this.staging.add({ messageId: draft.messageId, topic: draft.topic, transactionId: meta.transactionId, deliverAt: draft.deliverAt, storedAt: meta.storedAt, checks: 0, location });
    const message = meta as StagedMessage;
    message.body = draft.body;
    this.recent.put(draft.messageId, message);
    await durable;
    return draft.type === 'TRANSACTION' ? { messageId: draft.messageId } : { messageId: draft.messageId, recallHandle: Staging.recallHandle(draft.topic, draft.deliverAt ?? 0, draft.messageId) };
  }

  async endTransaction(topicName: string, transactionId: string, messageId: string, commit: boolean): Promise<void> {
    if (!transactionId) throw new BrokerError(Code.INVALID_TRANSACTION_ID, 'transaction id is blank');
    let resolution = this.resolving.get(transactionId);
    if (!resolution) {
      const half = this.staging.half(transactionId);
      if (!half || half.topic !== topicName || (messageId && half.messageId !== messageId)) {
        throw new BrokerError(Code.INVALID_TRANSACTION_ID, `transaction ${transactionId} of topic ${topicName} is unknown or already resolved`);
      }
      resolution = { commit, done: commit ? this.release(half) : this.discard(half, 'rollback') };
      this.resolving.set(transactionId, resolution);
      void resolution.done.finally(() => this.resolving.delete(transactionId)).catch(() => undefined);
    }
    const resolved = resolution.commit === commit && (await resolution.done);
    if (!resolved) throw new BrokerError(Code.INVALID_TRANSACTION_ID, `transaction ${transactionId} of topic ${topicName} was resolved meanwhile`);
  }

  async recall(topicName: string, recallHandle: string): Promise<string> {
    const entry = this.staging.recalled(topicName, recallHandle);
    if (!entry || !(await this.discard(entry, 'recalled'))) throw new BrokerError(Code.NOT_FOUND, 'the delay message is unknown, already delivered or already recalled');
    return entry.messageId;
  }

  /** Retention: copies the records of staged messages stored before `position` to the end of the log. */
  async relocateBefore(position: number): Promise<number> {
    const moving = this.staging.before(position);
    const writes: Promise<void>[] = [];
    for (const entry of moving) {
      const staged = await this.log.readStaged(entry.location, entry.messageId);
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
    const cached = this.recent.get(entry.messageId);
    if (cached) return cached;
    const staged = await this.log.readStaged(entry.location, entry.messageId);
    if (!staged) return undefined;
    const message = staged.meta as StagedMessage;
    message.body = staged.body;
    return message;
  }

  /** Puts a staged message into its queue; false if it left staging meanwhile (resolved by another call). */
  private async release(entry: StagedEntry): Promise<boolean> {
    try {
      const message = await this.read(entry);
      if (this.staging.get(entry.messageId) !== entry) return false;
      const topic = this.topics.get(entry.topic);
      if (!message) return await this.discard(entry, 'its record is damaged');
      if (!topic) return await this.discard(entry, 'topic deleted');
      // Out of staging in the same tick as the record that replaces it is appended: no checkpoint falls in between.
      this.staging.take(entry.messageId);
      this.recent.delete(entry.messageId);
      await this.appender.append(topic, draftOf(message), { releases: entry.messageId, transactionId: entry.transactionId }).durable;
      return true;
    } catch (error) {
      this.logger.error({ err: error, messageId: entry.messageId, topic: entry.topic }, 'staged message not released');
      throw error;
    }
  }

  /** Drops a staged message for good; false if it had left staging already. */
  private async discard(entry: StagedEntry, reason: string): Promise<boolean> {
    if (this.staging.get(entry.messageId) !== entry) return false;
    this.staging.take(entry.messageId);
    this.recent.delete(entry.messageId);
    try {
      await this.log.appendDiscarded({ messageId: entry.messageId, reason }, this.clock.now());
    } catch (error) {
      this.logger.error({ err: error, messageId: entry.messageId, topic: entry.topic }, 'staged message not discarded');
      throw error;
    }
    const level = reason === 'rollback' || reason === 'recalled' ? 'info' : 'warn';
    this.logger[level]({ messageId: entry.messageId, topic: entry.topic, reason }, 'staged message discarded');
    return true;
  }

  private async check(entry: StagedEntry): Promise<void> {
    this.metrics.transactionChecks.inc();
    const message = await this.read(entry);
    if (message) this.checkTransaction(message);
  }
}
