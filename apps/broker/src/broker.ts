import { join } from 'node:path';
import type { Logger } from 'pino';
import { BrokerMetrics } from './admin/metrics';
import { type BrokerConfig, DEFAULT_GROUP, type GroupConfig } from './config/broker-config';
import { MetadataStore } from './config/metadata-store';
import { ConsumerGroup } from './consumption/consumer-group';
import type { QueueCursor, PendingMessage } from './consumption/queue-cursor';
import { decodeReceiptHandle, encodeReceiptHandle } from './consumption/receipt-handle';
import type { Subscription } from './consumption/subscription';
import { RecordType, encodeJson, encodeWithBody, type DeliveredRecord, type FinishedRecord, type MessageMeta, type ReopenedRecord } from './journal/records';
import { replayJournal } from './journal/replay';
import { type MessageDraft, type StoredMessage, deadLetterTopic, draftOf, withoutBody } from './messaging/message';
import { checkGroupName } from './messaging/names';
import { StagedMessages, type StagedMessage } from './messaging/staged-messages';
import type { Topic } from './messaging/topic';
import { TopicRegistry } from './messaging/topic-registry';
import { BrokerError, Code } from './protocol/status';
import { LongPolling } from './scheduling/long-polling';
import { CommitLog } from './storage/commit-log';

export interface SendResult {
  messageId: string;
  transactionId: string;
  offset: number;
  recallHandle?: string;
}

export interface ReceiveRequest {
  group: string;
  topic: string;
  filter: (message: StoredMessage) => boolean;
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

export interface BrokerHooks {
  /** Ask a live producer of the topic to resolve a half message; false if none is connected. */
  checkTransaction(message: StagedMessage): boolean;
}

/**
 * The broker's state machine: topics and queues, consumer groups and their progress, staged
 * (half and delay) messages. Every change is journaled to the commit log before it matters, and
 * replayed on start. The gRPC and admin layers only translate to and from this API.
 */
export class Broker {
  readonly metrics: BrokerMetrics;
  readonly topics: TopicRegistry;
  readonly groups = new Map<string, ConsumerGroup>();
  readonly staged: StagedMessages;
  private readonly polling = new LongPolling();
  private readonly byId = new Map<string, StoredMessage>();
  private readonly metadata: MetadataStore;
  private readonly configuredGroups = new Map<string, GroupConfig>();
  /** `<group> <offset>` of %DLQ% copies already handed back to their group. */
  private readonly replayedDeadLetters = new Set<string>();
  private retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly config: BrokerConfig,
    private readonly log: CommitLog,
    private readonly logger: Logger,
    hooks: BrokerHooks,
  ) {
    this.metadata = new MetadataStore(config.dataDir);
    this.topics = new TopicRegistry(config.defaultQueues, () => this.saveMetadata());
    this.metrics = new BrokerMetrics(() => this.lagReport());
    this.staged = new StagedMessages(config.transaction, {
      release: (message) => this.releaseStaged(message),
      discard: (message, reason) => this.discardStaged(message, reason),
      check: (message) => {
        this.metrics.transactionChecks.inc();
        return hooks.checkTransaction(message);
      },
    });
  }

  static async open(config: BrokerConfig, logger: Logger, hooks: BrokerHooks): Promise<Broker> {
    const log = await CommitLog.open(join(config.dataDir, 'commitlog'), {
      segmentBytes: config.storage.segmentBytes,
      fsync: config.storage.fsync,
    });
    const broker = new Broker(config, log, logger, hooks);
    await broker.recover();
    return broker;
  }

  private async recover(): Promise<void> {
    const stored = this.metadata.load();
    for (const group of [...stored.groups, ...this.config.groups]) this.configureGroup(group, { persist: false });
    for (const topic of stored.topics) this.topics.create(topic, { system: topic.name.startsWith('%'), createdAt: topic.createdAt });
    // Topics declared in the config file exist from the beginning of time: their messages always replay.
    for (const topic of this.config.topics) this.topics.create(topic, { createdAt: 0 });
    const started = Date.now();
    const report = await replayJournal(this.log, {
      topics: this.topics,
      group: (name) => this.group(name),
      groups: () => this.groups.values(),
      deleteGroup: (name) => this.groups.delete(name),
      markReplayed: (group, offset) => this.replayedDeadLetters.add(`${group} ${offset}`),
      staged: this.staged,
      indexMessage: (message) => this.byId.set(message.messageId, message),
    });
    this.saveMetadata();
    this.logger.info({ ...report, ms: Date.now() - started }, 'recovered from commit log');
    this.retentionTimer = setInterval(() => void this.enforceRetention(), 60_000);
    this.retentionTimer.unref();
  }

  // --- producing ---

  async send(draft: MessageDraft): Promise<SendResult> {
    const topic = this.topicForSend(draft.topic);
    if (!topic.accepts(draft.type)) {
      throw new BrokerError(Code.MESSAGE_PROPERTY_CONFLICT_WITH_TYPE, `current message type ${draft.type} does not match topic ${topic.name} of type ${topic.type}`);
    }
    const ended = this.metrics.sendLatency.startTimer();
    this.metrics.messagesIn.inc({ topic: topic.name, message_type: draft.type });
    const result: SendResult = { messageId: draft.messageId, transactionId: draft.messageId, offset: 0 };
    if (draft.type === 'TRANSACTION' || (draft.deliverAt !== undefined && draft.deliverAt > Date.now())) {
      await this.staged.stage(draft, this.log);
      if (draft.type !== 'TRANSACTION') result.recallHandle = this.staged.recallHandle(draft);
    } else {
      const { message, durable } = this.appendMessage(topic, draft);
      await durable;
      result.offset = message.offset;
    }
    ended();
    return result;
  }

  endTransaction(topicName: string, transactionId: string, messageId: string, commit: boolean): void {
    if (!transactionId) throw new BrokerError(Code.INVALID_TRANSACTION_ID, 'transaction id is blank');
    const half = this.staged.half(transactionId);
    if (!half || half.topic !== topicName || (messageId && half.messageId !== messageId)) {
      throw new BrokerError(Code.INVALID_TRANSACTION_ID, `transaction ${transactionId} of topic ${topicName} is unknown or already resolved`);
    }
    if (commit) this.staged.release(half.messageId);
    else this.staged.discard(half.messageId, 'rollback');
  }

  recall(topicName: string, recallHandle: string): string {
    const messageId = this.staged.recall(topicName, recallHandle);
    if (!messageId) throw new BrokerError(Code.NOT_FOUND, 'the delay message is unknown, already delivered or already recalled');
    return messageId;
  }

  private topicForSend(name: string): Topic {
    const topic = this.topics.get(name);
    if (topic) return topic;
    if (this.config.autoCreateTopics) return this.topics.create({ name, type: 'MIXED' });
    return this.topics.require(name);
  }

  /** `releases` names the staged message this one replaces; `transactionId` travels with a committed half message. */
  private appendMessage(topic: Topic, draft: MessageDraft, extra: { releases?: string; transactionId?: string } = {}): { message: StoredMessage; durable: Promise<void> } {
    const queue = topic.chooseQueue(draft.messageGroup);
    const meta: MessageMeta = { ...withoutBody(draft), queueId: queue.id, offset: queue.nextOffset(), storedAt: Date.now(), ...extra };
    const { position, durable } = this.log.append(RecordType.Message, encodeWithBody(meta, draft.body));
    const message: StoredMessage = { ...draft, queueId: meta.queueId, offset: meta.offset, storedAt: meta.storedAt, position, transactionId: extra.transactionId };
    queue.append(message);
    if (!draft.deadLetterOf) this.byId.set(message.messageId, message);
    const visible = durable.then(() => {
      queue.markDurable(message.offset);
      this.polling.notify(topic.name);
    });
    // Releases and dead-letter copies do not await this; a failed sync fails the log for everyone anyway.
    visible.catch(() => undefined);
    return { message, durable: visible };
  }

  private releaseStaged(staged: StagedMessage): void {
    const topic = this.topics.get(staged.topic);
    if (!topic) return this.discardStaged(staged, 'topic deleted');
    this.appendMessage(topic, StagedMessages.draftOf(staged), { releases: staged.messageId, transactionId: staged.transactionId });
  }

  private discardStaged(staged: StagedMessage, reason: string): void {
    this.log.append(RecordType.Discarded, encodeJson({ messageId: staged.messageId, reason }));
    this.logger.info({ messageId: staged.messageId, topic: staged.topic, reason }, 'staged message discarded');
  }

  // --- consuming ---

  group(name: string): ConsumerGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = new ConsumerGroup({ ...DEFAULT_GROUP, ...this.configuredGroups.get(name), name });
      this.groups.set(name, group);
    }
    return group;
  }

  configureGroup(update: Partial<GroupConfig>, options: { persist: boolean } = { persist: true }): GroupConfig {
    const name = checkGroupName(update.name);
    const config: GroupConfig = { ...DEFAULT_GROUP, ...this.configuredGroups.get(name), ...update, name };
    if (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1) throw new BrokerError(Code.BAD_REQUEST, 'maxAttempts must be a positive integer');
    if (config.consumeFrom !== 'first' && config.consumeFrom !== 'last') throw new BrokerError(Code.BAD_REQUEST, 'consumeFrom must be "first" or "last"');
    this.configuredGroups.set(name, config);
    this.group(name).config = config;
    if (options.persist) this.saveMetadata();
    return config;
  }

  async receive(request: ReceiveRequest): Promise<Delivery[]> {
    const topic = this.topics.require(request.topic);
    const subscription = this.subscription(this.group(request.group), topic);
    for (;;) {
      const deliveries = this.take(subscription, request);
      if (deliveries.length > 0 || request.signal.aborted || this.closed) return deliveries;
      const now = Date.now();
      if (now >= request.pollUntil) return [];
      await this.polling.wait(topic.name, Math.min(request.pollUntil, subscription.nextDueAt() ?? Infinity), request.signal);
    }
  }

  private take(subscription: Subscription, request: ReceiveRequest): Delivery[] {
    const now = Date.now();
    const group = subscription.group as ConsumerGroup;
    const taken = subscription.take(now, request.batchSize, request.filter);
    for (const { cursor, entry } of taken.exhausted) this.deadLetter(group, subscription.topic, cursor, entry, 'max attempts reached');
    const deliveries: Delivery[] = [];
    for (const { cursor, entry } of taken.deliver) {
      cursor.markDelivered(entry, request.invisibleMs, now);
      this.journalDelivery(group.name, subscription.topic.name, cursor, entry);
      const message = cursor.queue.get(entry.offset) as StoredMessage;
      deliveries.push({ message, attempt: entry.attempt, receiptHandle: this.handleOf(subscription.topic.name, cursor, entry) });
    }
    if (deliveries.length > 0) this.metrics.messagesOut.inc({ topic: subscription.topic.name, consumer_group: group.name }, deliveries.length);
    return deliveries;
  }

  ack(groupName: string, topicName: string, receiptHandle: string): void {
    const { group, topic, cursor, entry } = this.resolveHandle(groupName, topicName, receiptHandle);
    this.finish(group, topic, cursor, entry.offset);
    this.metrics.acks.inc({ topic: topic.name, consumer_group: group.name });
  }

  changeInvisibleDuration(groupName: string, topicName: string, receiptHandle: string, invisibleMs: number): string {
    const { group, topic, cursor, entry } = this.resolveHandle(groupName, topicName, receiptHandle);
    cursor.changeVisibility(entry, Date.now() + invisibleMs);
    this.journalDelivery(group.name, topic.name, cursor, entry);
    if (invisibleMs === 0) this.polling.notify(topic.name);
    return this.handleOf(topic.name, cursor, entry);
  }

  forwardToDeadLetterQueue(groupName: string, topicName: string, receiptHandle: string): void {
    const { group, topic, cursor, entry } = this.resolveHandle(groupName, topicName, receiptHandle);
    this.deadLetter(group, topic, cursor, entry, 'forwarded by the client');
  }

  /**
   * Keeps a delivery invisible for `invisibleMs` more without changing its receipt handle (auto-renew).
   * Returns false once the delivery is finished or superseded.
   */
  extendInvisibility(groupName: string, topicName: string, receiptHandle: string, invisibleMs: number): boolean {
    try {
      const { group, topic, cursor, entry } = this.resolveHandle(groupName, topicName, receiptHandle);
      cursor.extendVisibility(entry, Date.now() + invisibleMs);
      this.journalDelivery(group.name, topic.name, cursor, entry);
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

  private subscription(group: ConsumerGroup, topic: Topic): Subscription {
    const existing = group.subscription(topic.name);
    if (existing && existing.topic === topic) return existing;
    const startOffsets = group.startOffsets(topic);
    this.log.append(RecordType.Subscribed, encodeJson({ group: group.name, topic: topic.name, startOffsets }));
    return group.subscribe(topic, startOffsets);
  }

  private resolveHandle(groupName: string, topicName: string, receiptHandle: string) {
    const handle = decodeReceiptHandle(receiptHandle);
    const group = this.groups.get(groupName);
    const subscription = group?.subscription(topicName);
    const cursor = handle.topic === topicName ? subscription?.cursors[handle.queueId] : undefined;
    const entry = cursor?.find(handle.offset, handle.version);
    if (!group || !subscription || !cursor || !entry) {
      throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is unknown or expired: the message was acknowledged, redelivered or never delivered to this group');
    }
    return { group, topic: subscription.topic, cursor, entry };
  }

  private finish(group: ConsumerGroup, topic: Topic, cursor: QueueCursor, offset: number): void {
    cursor.finish(offset, Date.now());
    const record: FinishedRecord = { group: group.name, topic: topic.name, queueId: cursor.queue.id, offset };
    this.log.append(RecordType.Finished, encodeJson(record));
    // A FIFO group may now deliver the next message of the same message group.
    if (group.config.fifo) this.polling.notify(topic.name);
  }

  private deadLetter(group: ConsumerGroup, topic: Topic, cursor: QueueCursor, entry: PendingMessage, reason: string): void {
    const original = cursor.queue.get(entry.offset);
    if (original) {
      const dlq = this.topics.get(deadLetterTopic(group.name)) ?? this.topics.create({ name: deadLetterTopic(group.name), queues: 1, type: 'MIXED' }, { system: true });
      const copy: MessageDraft = {
        ...draftOf(original),
        topic: dlq.name,
        type: 'NORMAL',
        messageGroup: undefined,
        deliverAt: undefined,
        properties: { ...original.properties, DLQ_ORIGIN_TOPIC: topic.name, DLQ_REASON: reason, DLQ_ATTEMPTS: String(entry.attempt) },
        deadLetterOf: { topic: topic.name, messageId: original.messageId },
      };
      this.appendMessage(dlq, copy, { transactionId: original.transactionId });
      this.logger.warn({ group: group.name, topic: topic.name, messageId: original.messageId, attempts: entry.attempt, reason }, 'message dead-lettered');
    }
    this.finish(group, topic, cursor, entry.offset);
    this.metrics.deadLettered.inc({ topic: topic.name, consumer_group: group.name });
  }

  private journalDelivery(group: string, topic: string, cursor: QueueCursor, entry: PendingMessage): void {
    const record: DeliveredRecord = { group, topic, queueId: cursor.queue.id, offset: entry.offset, attempt: entry.attempt, visibleAt: entry.visibleAt, version: entry.version };
    this.log.append(RecordType.Delivered, encodeJson(record));
  }

  private handleOf(topic: string, cursor: QueueCursor, entry: PendingMessage): string {
    return encodeReceiptHandle({ topic, queueId: cursor.queue.id, offset: entry.offset, version: entry.version });
  }

  // --- administration ---

  /** The group's dead letters not yet replayed, oldest first. */
  deadLetters(groupName: string): StoredMessage[] {
    const dlq = this.topics.get(deadLetterTopic(groupName));
    if (!dlq) return [];
    return [...dlq.queues[0].all()].filter((m) => !this.replayedDeadLetters.has(`${groupName} ${m.offset}`));
  }

  /**
   * Hands dead letters (all, or those with the given message ids) back to their group only: the
   * original message becomes deliverable again with fresh attempts; other groups see nothing.
   * Returns the message ids replayed; a DLQ copy whose original left retention cannot be replayed.
   */
  replayDeadLetters(groupName: string, messageIds?: string[]): string[] {
    const group = this.groups.get(groupName);
    if (!group) return [];
    const replayed: string[] = [];
    const now = Date.now();
    for (const copy of this.deadLetters(groupName)) {
      if (!copy.deadLetterOf || (messageIds && !messageIds.includes(copy.messageId))) continue;
      const original = this.byId.get(copy.deadLetterOf.messageId);
      const cursor = original && group.subscription(original.topic)?.cursors[original.queueId];
      if (!original || !cursor?.reopen(original.offset, now)) continue;
      const record: ReopenedRecord = { group: groupName, topic: original.topic, queueId: original.queueId, offset: original.offset, deadLetterOffset: copy.offset, at: now };
      this.log.append(RecordType.Reopened, encodeJson(record));
      this.replayedDeadLetters.add(`${groupName} ${copy.offset}`);
      this.polling.notify(original.topic);
      replayed.push(copy.messageId);
    }
    return replayed;
  }

  /** Forgets a group, its progress and its configuration (e.g. the broadcast group of a replica that left). */
  deleteGroup(name: string): boolean {
    if (!this.groups.has(name) && !this.configuredGroups.has(name)) return false;
    this.groups.delete(name);
    this.configuredGroups.delete(name);
    this.log.append(RecordType.GroupDeleted, encodeJson({ group: name }));
    this.saveMetadata();
    return true;
  }

  findMessage(messageId: string): StoredMessage | undefined {
    return this.byId.get(messageId);
  }

  lagReport(): { topic: string; group: string; backlog: number; inflight: number; retrying: number }[] {
    const now = Date.now();
    const rows = [];
    for (const group of this.groups.values()) {
      for (const subscription of group.subscriptions.values()) rows.push({ group: group.name, ...subscription.stats(now) });
    }
    return rows;
  }

  deleteTopic(name: string): boolean {
    for (const group of this.groups.values()) group.subscriptions.delete(name);
    return this.topics.delete(name);
  }

  /** Drops whole log segments past retention (age, size) and the messages and progress they held. Runs every minute. */
  async enforceRetention(): Promise<void> {
    const { retentionHours, retentionBytes } = this.config.storage;
    const cut = await this.log.enforceRetention({ maxAgeMs: retentionHours * 3_600_000, maxBytes: retentionBytes });
    for (const topic of this.topics.list()) {
      for (const queue of topic.queues) {
        const before = queue.minOffset;
        for (let offset = before; offset < queue.maxOffset; offset++) {
          const message = queue.get(offset);
          if (!message || message.position >= cut) break;
          this.byId.delete(message.messageId);
        }
        if (queue.trimBefore(cut) === 0) continue;
        for (const group of this.groups.values()) group.subscription(topic.name)?.cursors[queue.id]?.trim(queue.minOffset);
      }
    }
  }

  private saveMetadata(): void {
    this.metadata.save({ topics: this.topics.snapshot(), groups: [...this.configuredGroups.values()] });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.retentionTimer);
    this.staged.stop();
    this.polling.wakeAll();
    await this.log.close();
  }
}
