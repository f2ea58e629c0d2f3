import { join } from 'node:path';
import type { Logger } from 'pino';
import { BrokerMetrics } from './admin/metrics';
import type { BrokerConfig, GroupConfig } from './config/broker-config';
import { Groups } from './consumption/groups';
import { type CheckpointContent, Checkpointing } from './core/checkpointing';
import { Consuming } from './core/consuming';
import { DeadLetters } from './core/dead-letters';
import { FlowControl } from './core/flow-control';
import { MessageAppender } from './core/message-appender';
import { Producing } from './core/producing';
import { ProgressJournal } from './core/progress-journal';
import { recover, type RecoveryReport } from './core/recovery';
import { Retention } from './core/retention';
import { Transactions } from './core/transactions';
import { checkStorageFormat } from './persistence/storage-format';
import type { StoredMessage } from './messaging/message';
import { checkGroupName } from './messaging/names';
import type { StagedMessage } from './messaging/staging';
import type { Topic } from './messaging/topic';
import { type TopicDefinition, TopicRegistry } from './messaging/topic-registry';
import { CheckpointStore } from './persistence/checkpoint-store';
import { MessageLog } from './persistence/message-log';
import { MetadataStore } from './persistence/metadata-store';
import { loadReceiptSecret } from './persistence/receipt-secret';
import { ReceiptHandles } from './consumption/receipt-handle';
import { StateJournal } from './persistence/state-journal';
import { type Clock, every, systemClock } from './scheduling/clock';
import { LongPolling } from './scheduling/long-polling';
import { DamageLog } from './storage/damage-log';
import { type FileSystem, nodeFileSystem } from './storage/file-system';

export interface BrokerOptions {
  logger: Logger;
  /** Asks a live producer of the topic to resolve a half message; false if none is connected. */
  checkTransaction(message: StagedMessage): boolean;
  /** The disk (default: the real one; the storage simulation passes its own). */
  fileSystem?: FileSystem;
  clock?: Clock;
  /** Resident memory for flow control (default: the process's). */
  residentBytes?: () => number;
}

const RETENTION_INTERVAL_MS = 60_000;

/**
 * The broker's core, wired together: topics and their queue indexes, consumer groups, staging,
 * and the storage they live in (message log, state journal, checkpoints, metadata). The gRPC and
 * admin layers only translate to and from this API.
 */
export class Broker {
  readonly metrics: BrokerMetrics;
  readonly topics: TopicRegistry;
  readonly groups = new Groups();
  readonly producing: Producing;
  readonly consuming: Consuming;
  readonly transactions: Transactions;
  readonly deadLetters: DeadLetters;
  readonly retention: Retention;
  readonly flowControl: FlowControl;
  readonly checkpointing: Checkpointing;
  recovery: RecoveryReport | undefined;
  private readonly polling: LongPolling;
  private readonly progress: ProgressJournal;
  private readonly stopTimers: (() => void)[] = [];
  private closed = false;

  private constructor(
    readonly config: BrokerConfig,
    private readonly options: BrokerOptions & { fileSystem: FileSystem; clock: Clock },
    readonly damage: DamageLog,
    private readonly log: MessageLog,
    private readonly journal: StateJournal,
    private readonly checkpoints: CheckpointStore,
    private readonly metadataStore: MetadataStore,
    receiptHandles: ReceiptHandles,
  ) {
    const { clock, logger } = options;
    this.metrics = new BrokerMetrics(() => this.consuming.lagReport());
    this.topics = new TopicRegistry(config.defaultQueues);
    this.polling = new LongPolling(clock);
    const appender = new MessageAppender(log, this.polling, clock);
    this.progress = new ProgressJournal(journal, clock);
    this.transactions = new Transactions(config.transaction, clock, log, appender, this.topics, logger, this.metrics, (message) => options.checkTransaction(message));
    this.deadLetters = new DeadLetters(this.topics, this.groups, appender, log, this.progress, this.polling, clock, this.metrics, logger, (name) => this.createTopic({ name, queues: 1, type: 'MIXED' }));
    this.consuming = new Consuming(this.topics, this.groups, log, this.progress, this.polling, this.deadLetters, receiptHandles, clock, this.metrics, () => this.closed);
    this.flowControl = new FlowControl(config.storage, this.groups, this.transactions.staging, clock, this.metrics, options.residentBytes);
    this.producing = new Producing((name) => this.topicForSend(name), appender, this.transactions, this.flowControl, clock, this.metrics);
    this.checkpointing = new Checkpointing(checkpoints, log, journal, () => this.checkpointContent(), clock, logger);
    this.retention = new Retention(config.storage, log, this.topics, this.groups, this.transactions, this.deadLetters, this.checkpointing, checkpoints, clock, this.metrics, logger);
  }

  static async open(config: BrokerConfig, options: BrokerOptions): Promise<Broker> {
    const fileSystem = options.fileSystem ?? nodeFileSystem;
    const clock = options.clock ?? systemClock;
    const { dataDir, storage } = config;
    await checkStorageFormat(fileSystem, dataDir);
    let broker: Broker | undefined;
    const damage = new DamageLog(fileSystem, dataDir, options.logger, () => broker?.metrics.corruptRecords.inc());
    const log = await MessageLog.open(fileSystem, join(dataDir, 'commitlog'), storage, damage, options.logger, () => broker?.checkpointing.request('segment rolled'));
    const journal = await StateJournal.open(fileSystem, join(dataDir, 'state', 'journal'), storage.fsync, damage);
    const checkpoints = new CheckpointStore(fileSystem, join(dataDir, 'state'), damage);
    const receiptHandles = new ReceiptHandles(await loadReceiptSecret(fileSystem, dataDir));
    broker = new Broker(config, { ...options, fileSystem, clock }, damage, log, journal, checkpoints, new MetadataStore(fileSystem, dataDir), receiptHandles);
    try {
      await broker.start();
    } catch (error) {
      await Promise.allSettled([log.close(), journal.close()]);
      throw error;
    }
    return broker;
  }

  private async start(): Promise<void> {
    const { clock, logger } = this.options;
    const started = clock.now();
    this.recovery = await recover({
      config: this.config,
      logger,
      clock,
      metrics: this.metrics,
      metadataStore: this.metadataStore,
      checkpoints: this.checkpoints,
      log: this.log,
      journal: this.journal,
      topics: this.topics,
      groups: this.groups,
      staging: this.transactions.staging,
      deadLetters: this.deadLetters,
    });
    await this.saveMetadata();
    // After a crash, a checkpoint now spares the next start the same scan and replay.
    const { scannedSegments, journalRecords } = this.recovery;
    if (scannedSegments > 0 || journalRecords > 0 || !this.checkpoints.newest) await this.checkpointing.now();
    this.transactions.staging.start();
    logger.info({ ...this.recovery, ms: clock.now() - started }, 'recovered');
    this.stopTimers.push(
      every(clock, RETENTION_INTERVAL_MS, () => this.enforceRetention().then(() => undefined)),
      every(clock, this.config.storage.checkpointIntervalMs, () => this.checkpointing.now().catch((error: unknown) => logger.error({ err: error }, 'checkpoint failed'))),
    );
  }

  // --- administration ---

  async createTopic(definition: TopicDefinition): Promise<Topic> {
    const existing = this.topics.get(definition.name);
    const topic = this.topics.create(definition);
    if (topic !== existing) await this.saveMetadata();
    return topic;
  }

  async deleteTopic(name: string): Promise<boolean> {
    const topic = this.topics.get(name);
    if (!topic) return false;
    for (const group of this.groups.list()) if (group.subscription(name)?.topic === topic) group.subscriptions.delete(name);
    this.topics.delete(name);
    await this.saveMetadata();
    return true;
  }

  async configureGroup(update: Partial<GroupConfig>): Promise<GroupConfig> {
    const config = this.groups.configure(update);
    await this.saveMetadata();
    return config;
  }

  /** Forgets a group, its progress and its configuration (e.g. the broadcast group of a replica that left). */
  async deleteGroup(name: string): Promise<boolean> {
    if (!this.groups.delete(checkGroupName(name))) return false;
    await this.progress.groupDeleted(name);
    await this.saveMetadata();
    return true;
  }

  /** A message by id, not its dead-letter copies. */
  async findMessage(messageId: string): Promise<StoredMessage | undefined> {
    return (await this.log.findById(messageId)).find((message) => !message.deadLetterOf && this.topics.byId(message.topicId));
  }

  async messagesByKey(topicName: string, key: string, limit: number): Promise<StoredMessage[]> {
    return this.log.findByKey(this.topics.require(topicName).id, key, limit);
  }

  lagReport() {
    return this.consuming.lagReport();
  }

  enforceRetention() {
    return this.retention.enforce();
  }

  /** What `GET /storage` shows: files, positions, quota, checkpoint, damage found. */
  storageReport() {
    const { storage } = this.config;
    const last = this.checkpointing.last;
    return {
      dataDir: this.config.dataDir,
      messageLog: {
        firstPosition: this.log.firstPosition,
        endPosition: this.log.endPosition,
        bytes: this.log.sizeBytes,
        segments: this.log.segments.map((segment) => ({ name: segment.name, base: segment.base, bytes: segment.size, newestRecordAt: Number.isFinite(segment.newestTimestampMs) ? new Date(segment.newestTimestampMs).toISOString() : null })),
        ...this.log.stats,
      },
      stateJournal: { firstPosition: this.journal.firstPosition, endPosition: this.journal.endPosition, bytes: this.journal.sizeBytes },
      checkpoint: last && { sequence: last.sequence, takenAt: new Date(last.takenAt).toISOString(), logPosition: last.logPosition, journalPosition: last.journalPosition },
      retention: { hours: storage.retentionHours, bytes: storage.retentionBytes },
      flowControl: this.flowControl.current(),
      staged: this.transactions.staging.size,
      recovery: this.recovery,
      damage: this.damage.entries,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.stopTimers) stop();
    this.transactions.staging.stop();
    this.polling.wakeAll();
    try {
      // The last checkpoint names the log's end, so the next start reads no log record at all.
      await this.checkpointing.close();
    } catch (error) {
      this.options.logger.error({ err: error }, 'final checkpoint failed: the next start replays the journal');
    }
    await Promise.allSettled([this.log.close(), this.journal.close()]);
  }

  private async topicForSend(name: string): Promise<Topic> {
    const topic = this.topics.get(name);
    if (topic) return topic;
    if (this.config.autoCreateTopics) return this.createTopic({ name, type: 'MIXED' });
    return this.topics.require(name);
  }

  private saveMetadata(): Promise<void> {
    return this.metadataStore.save(this.metadata());
  }

  private metadata() {
    return { nextTopicId: this.topics.nextId, topics: this.topics.snapshot(), groups: this.groups.configs() };
  }

  private checkpointContent(): CheckpointContent {
    return {
      metadata: this.metadata(),
      queueEnds: Object.fromEntries(this.topics.list().map((topic) => [topic.id, topic.queues.map((queue) => queue.maxOffset)])),
      staged: this.transactions.staging.snapshot(),
      groups: this.groups.list().map((group) => group.snapshot()),
      replayedDeadLetters: [...this.deadLetters.replayed],
    };
  }
}
