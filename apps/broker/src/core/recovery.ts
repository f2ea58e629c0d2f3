import type { Logger } from 'pino';
import type { BrokerMetrics } from '../admin/metrics';
import type { BrokerConfig, TopicType } from '../config/broker-config';
import type { Groups } from '../consumption/groups';
import type { Subscription } from '../consumption/subscription';
import type { Staging } from '../messaging/staging';
import type { Topic } from '../messaging/topic';
import type { TopicRegistry } from '../messaging/topic-registry';
import type { Checkpoint, CheckpointStore } from '../persistence/checkpoint-store';
import type { MessageLog } from '../persistence/message-log';
import type { Metadata, MetadataStore } from '../persistence/metadata-store';
import type { IndexEntry } from '../persistence/segment-index';
import { StateRecord, type StateChange, type StateJournal } from '../persistence/state-journal';
import type { Clock } from '../scheduling/clock';
import type { DeadLetters } from './dead-letters';

export interface RecoveryParts {
  config: BrokerConfig;
  logger: Logger;
  clock: Clock;
  metrics: BrokerMetrics;
  metadataStore: MetadataStore;
  checkpoints: CheckpointStore;
  log: MessageLog;
  journal: StateJournal;
  topics: TopicRegistry;
  groups: Groups;
  staging: Staging;
  deadLetters: DeadLetters;
}

export interface RecoveryReport {
  checkpoint?: number;
  segments: number;
  scannedSegments: number;
  truncatedBytes: number;
  journalRecords: number;
  messages: number;
  staged: number;
  /** Staged messages whose records a damaged tail took. */
  lostStaged: number;
  /** Where topics and groups came from. */
  metadata: 'metadata.json' | 'checkpoint' | 'log' | 'new';
  /** Topics found in the log but in no metadata, created again from their messages. */
  rebuiltTopics: string[];
  /** Per `<group> <topic>`: messages retention deleted before the group consumed them, found at start. */
  expired: Record<string, number>;
}

/**
 * Start-up: metadata, the newest readable checkpoint, the message log's segment indexes (scanning
 * only segments without a sealed index) and the staged-message events after the checkpoint, then
 * the state journal after it. Nothing older than the checkpoint is read, so restart time does not
 * grow with the log.
 */
export async function recover(parts: RecoveryParts): Promise<RecoveryReport> {
  const { config, logger, topics, groups, staging, log, journal, checkpoints } = parts;
  const checkpoint = await checkpoints.load();
  const report: RecoveryReport = { checkpoint: checkpoint?.sequence, segments: 0, scannedSegments: 0, truncatedBytes: 0, journalRecords: 0, messages: 0, staged: 0, lostStaged: 0, metadata: 'new', rebuiltTopics: [], expired: {} };

  const metadata = await loadMetadata(parts, checkpoint, report);
  topics.reserveIds(metadata.nextTopicId);
  for (const topic of metadata.topics) topics.create(topic, { restore: { id: topic.id, createdAt: topic.createdAt } });
  for (const group of [...metadata.groups, ...config.groups]) {
    try {
      groups.configure(group);
    } catch (error) {
      logger.error({ group: group.name, err: error }, 'invalid consumer group settings ignored: the group uses the defaults');
    }
  }
  const declared = config.topics.filter((topic) => !topics.get(topic.name)).map((topic) => topics.create(topic, { restore: { id: topics.nextId, createdAt: 0 } }));

  for (const entry of checkpoint?.staged ?? []) staging.add(entry);
  const unknown = new Map<number, IndexEntry[]>();
  const remember = (entry: IndexEntry) => {
    const list = unknown.get(entry.topicId);
    if (list) list.push(entry);
    else unknown.set(entry.topicId, [entry]);
  };
  // Entries come in runs of one topic: look its queues up once per run, not once per message.
  let runTopicId = -1;
  let runQueues: Topic['queues'] | undefined;
  const queueOf = (topicId: number, queueId: number) => {
    if (topicId !== runTopicId) {
      runTopicId = topicId;
      runQueues = topics.byId(topicId)?.queues;
    }
    return runQueues?.[queueId];
  };
  const logReport = await log.recover(checkpoint?.logPosition ?? 0, {
    entry: (entry) => {
      const queue = queueOf(entry.topicId, entry.queueId);
      if (queue) {
        queue.restore(entry.offset, entry);
        report.messages++;
      } else if (!topics.isRetired(entry.topicId)) remember({ ...entry });
    },
    run: (run) => {
      const queue = queueOf(run.topicId, run.queueId);
      if (queue) {
        queue.restoreRun(run.firstOffset, run);
        report.messages += run.positions.length;
      } else if (!topics.isRetired(run.topicId)) {
        run.positions.forEach((position, i) =>
          remember({ topicId: run.topicId, queueId: run.queueId, offset: run.firstOffset + i, position, size: run.sizes[i], tagHash: run.tagHashes[i], groupHash: run.groupHashes[i], idHash: 0, keysBloom: 0 }),
        );
      }
    },
    staged: (meta, location) => {
      const known = staging.get(meta.messageId);
      if (known) known.location = location; // copied forward by retention
      else staging.add({ messageId: meta.messageId, topic: meta.topic, transactionId: meta.transactionId, deliverAt: meta.type === 'DELAY' ? meta.deliverAt : undefined, storedAt: meta.storedAt, checks: 0, location });
    },
    unstaged: (messageId) => staging.forget(messageId),
  });
  Object.assign(report, { segments: logReport.segments, scannedSegments: logReport.scannedSegments, truncatedBytes: logReport.truncatedBytes });
  // A damaged tail cut off the log (reported by the cut) may have held staged records; appends reuse their place.
  for (const entry of staging.endingAfter(log.endPosition)) {
    staging.forget(entry.messageId);
    report.lostStaged++;
    logger.error({ messageId: entry.messageId, topic: entry.topic, position: entry.location.position }, 'staged message lost: its record was in the damaged tail cut off the log');
  }
  await rebuildTopics(parts, unknown, declared, report);
  for (const [topicId, ends] of Object.entries(checkpoint?.queueEnds ?? {})) {
    topics.byId(Number(topicId))?.queues.forEach((queue, i) => queue.continueAt(ends[i] ?? 0));
  }

  restoreGroups(parts, checkpoint);
  if (!checkpoint && journal.firstPosition > 0) {
    throw new Error(
      `no readable checkpoint in ${config.dataDir}/state, and the state journal no longer starts at the beginning: consumer progress and staged messages cannot be recovered. ` +
        'Move the state directory aside to start with consumer groups starting over (each from its consumeFrom position).',
    );
  }
  await journal.recover(checkpoint?.journalPosition ?? 0, (change) => {
    report.journalRecords++;
    apply(parts, change);
  });
  resume(parts, report);
  report.staged = staging.size;
  return report;
}

async function loadMetadata(parts: RecoveryParts, checkpoint: Checkpoint | undefined, report: RecoveryReport): Promise<Metadata> {
  const loaded = await parts.metadataStore.load();
  if (loaded.state === 'ok') {
    report.metadata = 'metadata.json';
    return loaded.metadata;
  }
  const why = loaded.state === 'missing' ? 'missing' : `unreadable (${loaded.reason})`;
  if (checkpoint) {
    report.metadata = 'checkpoint';
    parts.logger.error({ file: parts.metadataStore.path, checkpoint: checkpoint.sequence }, `metadata.json is ${why}: topics and groups restored from checkpoint ${checkpoint.sequence}; topics created after it are rebuilt from the log`);
    return checkpoint.metadata;
  }
  if (parts.log.endPosition > 0) {
    report.metadata = 'log';
    parts.logger.error({ file: parts.metadataStore.path }, `metadata.json is ${why} and no checkpoint exists: topics are rebuilt from the log; group settings made through the admin API are lost`);
  }
  return { nextTopicId: 1, topics: [], groups: [] };
}

/**
 * Messages of topic ids no metadata knows (metadata lost or older than the log): the topic is
 * created again from its messages — name from a record, queue count from the highest queue id
 * holding messages, type from the message types — so that no topic holding messages is forgotten.
 */
async function rebuildTopics(parts: RecoveryParts, unknown: Map<number, IndexEntry[]>, declared: { name: string; id: number }[], report: RecoveryReport): Promise<void> {
  const { topics, log, logger, config } = parts;
  for (const [topicId, entries] of unknown) {
    const samples = (await log.readMessages([entries[0], entries[entries.length - 1]])).filter((m) => m !== undefined);
    if (samples.length === 0) {
      logger.error({ topicId, messages: entries.length }, 'messages of an unknown topic whose records are damaged: not recoverable');
      continue;
    }
    const name = samples[0].topic;
    const types = new Set(samples.map((sample) => sample.type));
    const type: TopicType = name.startsWith('%DLQ%') || types.size > 1 ? 'MIXED' : [...types][0];
    const queues = Math.max(...entries.map((entry) => entry.queueId + 1));
    // A topic declared in the config file and created afresh above is the same topic: it takes the log's id.
    const fresh = declared.find((topic) => topic.name === name);
    const existing = topics.get(name);
    if (existing && fresh?.id === existing.id) topics.delete(name);
    else if (existing) {
      logger.error({ topic: name, topicId, messages: entries.length }, 'messages of an earlier topic of the same name: skipped');
      continue;
    }
    const definition = config.topics.find((topic) => topic.name === name) ?? { name, type, queues };
    const topic = topics.create(definition, { system: name.startsWith('%'), restore: { id: topicId, createdAt: 0 } });
    for (const entry of entries) topic.queues[entry.queueId]?.restore(entry.offset, entry);
    report.messages += entries.length;
    report.rebuiltTopics.push(name);
    logger.error({ topic: name, topicId, type: topic.type, queues: topic.queues.length, messages: entries.length }, 'topic missing from metadata rebuilt from the log');
  }
}

function restoreGroups({ topics, groups, deadLetters }: RecoveryParts, checkpoint: Checkpoint | undefined): void {
  for (const snapshot of checkpoint?.groups ?? []) {
    const group = groups.group(snapshot.name);
    for (const saved of snapshot.subscriptions) {
      const topic = topics.get(saved.topic);
      if (!topic || topic.id !== saved.topicId) continue;
      const subscription = group.subscribe(topic, saved.startOffsets);
      saved.cursors.forEach((cursor, i) => subscription.cursors[i]?.restoreSnapshot(cursor));
    }
  }
  for (const key of checkpoint?.replayedDeadLetters ?? []) deadLetters.replayed.add(key);
}

function apply({ topics, groups, deadLetters }: RecoveryParts, change: StateChange): void {
  if (change.type === StateRecord.GroupDeleted) {
    groups.delete(change.record.group);
    return;
  }
  const { record } = change;
  const topic = topics.get(record.topic);
  if (!topic || topic.id !== record.topicId) return;
  const group = groups.group(record.group);
  if (change.type === StateRecord.Subscribed) {
    group.subscribe(topic, change.record.startOffsets);
    return;
  }
  const subscription: Subscription | undefined = group.subscription(topic.name, topic.id);
  if (!subscription) return;
  switch (change.type) {
    case StateRecord.Delivered:
      for (const [queueId, offset, attempt, visibleAt, version, groupHash] of change.record.items) {
        subscription.cursors[queueId]?.restoreDelivery({ offset, attempt, visibleAt, version, ...(groupHash ? { groupHash } : {}) });
      }
      return;
    case StateRecord.Finished:
      for (const [queueId, offset] of change.record.items) subscription.cursors[queueId]?.restoreFinish(offset);
      return;
    case StateRecord.Reopened:
      subscription.cursors[change.record.queueId]?.reopen(change.record.offset, change.record.at);
      deadLetters.replayed.add(`${record.group} ${change.record.deadLetterOffset}`);
      return;
  }
}

/**
 * Queues continue past every offset a group knows of (records lost to damage at the end of a queue
 * must not have their offsets handed out again); cursors continue at the oldest retained message
 * (loudly, if retention took unconsumed ones), then rebuild their schedules.
 */
function resume({ groups, logger, metrics }: RecoveryParts, report: RecoveryReport): void {
  for (const group of groups.list()) {
    for (const subscription of group.subscriptions.values()) {
      let expired = 0;
      for (const cursor of subscription.cursors) {
        cursor.queue.continueAt(cursor.knownEnd());
        expired += cursor.trim(cursor.queue.minOffset);
        cursor.resume();
      }
      if (expired === 0) continue;
      report.expired[`${group.name} ${subscription.topic.name}`] = expired;
      metrics.expired.inc({ topic: subscription.topic.name, consumer_group: group.name }, expired);
      logger.warn({ group: group.name, topic: subscription.topic.name, expired }, 'messages this group had not consumed are gone (retention): it continues at the oldest retained message');
    }
  }
}
