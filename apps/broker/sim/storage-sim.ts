import pino from 'pino';
import { Broker } from '../src/broker';
import { type BrokerConfig, defaultConfig } from '../src/config/broker-config';
import type { Delivery } from '../src/core/consuming';
import { compileSubscriptionFilter } from '../src/filtering';
import type { MessageDraft, MessageType } from '../src/messaging/message';
import type { Damage } from '../src/storage/damage-log';
import { Oracle, type SentMessage } from './oracle';
import { Random } from './random';
import { SimulatedClock, settle } from './simulated-clock';
import { SimulatedDisk } from './simulated-disk';

const DATA_DIR = '/sim/data';
const FIFO_GROUPS = ['alice', 'bob', 'carol', 'dave'];
const ANY = compileSubscriptionFilter('TAG', '*');

/** Groups of the simulated shop: which topic each reads and how. */
const GROUPS = [
  { name: 'g-normal', topic: 'normal', fifo: false, maxAttempts: 3, consumeFrom: 'first' as const },
  { name: 'g-late', topic: 'normal', fifo: false, maxAttempts: 100, consumeFrom: 'last' as const },
  { name: 'g-fifo', topic: 'fifo', fifo: true, maxAttempts: 1000, consumeFrom: 'first' as const },
  { name: 'g-delay', topic: 'delay', fifo: false, maxAttempts: 100, consumeFrom: 'first' as const },
  { name: 'g-txn', topic: 'txn', fifo: false, maxAttempts: 100, consumeFrom: 'first' as const },
];
type Group = (typeof GROUPS)[number];

export interface SeedResult {
  seed: number;
  violations: string[];
  stats: { steps: number; crashes: number; flips: number; sent: number; acked: number; retentionRuns: number; damage: number; lostWrites: number; tornWrites: number };
}

function configFor(random: Random): BrokerConfig {
  const config = defaultConfig();
  return {
    ...config,
    dataDir: DATA_DIR,
    topics: [
      { name: 'normal', queues: 2, type: 'NORMAL' },
      { name: 'fifo', queues: 2, type: 'FIFO' },
      { name: 'delay', queues: 1, type: 'DELAY' },
      { name: 'txn', queues: 1, type: 'TRANSACTION' },
    ],
    groups: GROUPS.map(({ name, fifo, maxAttempts, consumeFrom }) => ({ name, fifo, maxAttempts, consumeFrom, retryPolicy: { type: 'customized', delaysMs: [1000] } })),
    storage: {
      ...config.storage,
      segmentBytes: 2048 + random.int(6144),
      retentionBytes: 24 * 1024 + random.int(64 * 1024),
      cacheBytes: random.int(16 * 1024),
      maxUnconsumedBytes: Number.MAX_SAFE_INTEGER,
      maxMemoryBytes: Number.MAX_SAFE_INTEGER,
      checkpointIntervalMs: 5000 + random.int(60_000),
    },
  };
}

/** One seeded run: a random workload with crashes, torn and lost writes, bit flips and retention, then a full drain and the invariant checks. */
export async function runSeed(seed: number, steps = 250, trace: (line: string) => void = () => undefined): Promise<SeedResult> {
  const random = new Random(seed);
  const disk = new SimulatedDisk(random);
  const clock = new SimulatedClock();
  const oracle = new Oracle();
  const config = configFor(random);
  const logger = pino({ level: 'silent' });
  const stats: SeedResult['stats'] = { steps, crashes: 0, flips: 0, sent: 0, acked: 0, retentionRuns: 0, damage: 0, lostWrites: 0, tornWrites: 0 };
  const damage: Damage[] = [];
  const expired = new Map<string, number>();
  const inFlight = new Map<string, Delivery[]>();
  const lateSubscribedAt = { step: Infinity };
  /** Delivered with their last attempt: dead-lettered next (their DLQ copy may expire before the end). */
  const lastAttempts = new Set<string>();
  let incarnation = 0;
  let broker!: Broker;
  let step = 0;
  let nextId = 0;

  /** What the broker reported expired (metric and warn line), also when it died before answering. */
  const collectExpired = async () => {
    for (const { labels, value } of (await broker.metrics.expired.get()).values) {
      const key = `${labels.consumer_group} ${labels.topic}`;
      expired.set(key, (expired.get(key) ?? 0) + value);
    }
  };
  const open = async () => {
    incarnation++;
    const mine = incarnation;
    broker = await Broker.open(config, {
      logger,
      fileSystem: disk.mount(),
      clock,
      residentBytes: () => 0,
      // The producer answers check-backs from its own records, as a transaction checker does.
      checkTransaction: (message) => {
        const decision = oracle.transactions.get(message.messageId);
        if (decision && incarnation === mine) void broker.transactions.endTransaction(message.topic, message.transactionId ?? '', message.messageId, decision === 'commit').catch(() => undefined);
        return true;
      },
    });
  };
  /** Runs `work` against the current broker; results of a broker that died meanwhile are not the world's. */
  const attempt = async <T>(work: (b: Broker) => Promise<T>): Promise<T | undefined> => {
    const mine = incarnation;
    const target = broker;
    try {
      const result = await work(target);
      return incarnation === mine && broker === target ? result : undefined;
    } catch {
      return undefined;
    }
  };
  const draft = (topic: string, type: MessageType, extra: Partial<MessageDraft> = {}): MessageDraft => ({
    topic,
    messageId: `m${nextId++}`,
    type,
    keys: [],
    properties: {},
    bornAt: clock.now(),
    bornHost: 'sim',
    gzip: false,
    body: Buffer.alloc(16 + random.int(600), nextId % 251),
    digest: '',
    ...extra,
  });
  const confirmSend = async (message: MessageDraft, extra: Partial<SentMessage> = {}) => {
    const startedAt = step;
    const result = await attempt((b) => b.producing.send(message));
    if (!result) return;
    stats.sent++;
    const record = message.type === 'NORMAL' || message.type === 'FIFO' ? locate(broker, message.topic, result.queueId, result.offset) : undefined;
    trace(`${step} sent ${message.messageId} ${message.topic} ${message.messageGroup ?? ''} q${result.queueId}:${result.offset}`);
    oracle.sendConfirmed({ id: message.messageId, topic: message.topic, startedAt, record, ...extra });
  };
  const receive = async (group: Group, batch = 1 + random.int(8)) => {
    const deliveries = await attempt((b) =>
      b.consuming.receive({ group: group.name, topic: group.topic, filter: ANY, batchSize: batch, invisibleMs: 2000 + random.int(8000), pollUntil: clock.now(), signal: new AbortController().signal }),
    );
    if (!deliveries) return;
    if (group.consumeFrom === 'last' && lateSubscribedAt.step === Infinity) {
      lateSubscribedAt.step = step;
      trace(`${step} ${group.name} subscribed at ${JSON.stringify(broker.groups.get(group.name)?.subscription(group.topic)?.startOffsets)}`);
    }
    if (deliveries.length > 0) trace(`${step} receive ${group.name}: ${deliveries.map((d) => `${d.message.messageId}@${d.message.queueId}:${d.message.offset}#${d.attempt}`).join(' ')}`);
    for (const delivery of deliveries) {
      oracle.received(group.name, delivery.message.messageId, clock.now(), group.fifo);
      if (delivery.attempt >= group.maxAttempts) lastAttempts.add(`${group.name} ${delivery.message.messageId}`);
    }
    inFlight.set(group.name, [...(inFlight.get(group.name) ?? []), ...deliveries]);
  };
  const ack = async (group: Group, all: boolean) => {
    const held = inFlight.get(group.name) ?? [];
    if (group.fifo) held.sort((a, b) => Number(a.message.messageId.slice(1)) - Number(b.message.messageId.slice(1)));
    const chosen = all ? held : held.filter(() => random.chance(0.6));
    inFlight.set(group.name, held.filter((d) => !chosen.includes(d)));
    if (chosen.length === 0) return;
    const results = await attempt((b) => b.consuming.ack(group.name, group.topic, chosen.map((d) => d.receiptHandle)));
    trace(`${step} ack ${group.name}: ${chosen.map((d, i) => `${d.message.messageId}${results ? (results[i] ? '✗' : '✓') : '?'}`).join(' ')}`);
    if (!results) for (const delivery of chosen) oracle.ackUnknown(group.name, delivery.message.messageId);
    results?.forEach((failure, i) => {
      if (failure) return;
      oracle.ackConfirmed(group.name, chosen[i].message.messageId);
      stats.acked++;
    });
  };
  const nack = async (group: Group) => {
    const held = inFlight.get(group.name) ?? [];
    if (held.length === 0) return;
    const delivery = held.splice(random.int(held.length), 1)[0];
    await attempt(async (b) => b.consuming.changeInvisibleDuration(group.name, group.topic, delivery.receiptHandle, random.int(3000)));
  };
  const crash = async () => {
    stats.crashes++;
    trace(`${step} crash`);
    clock.dropTimers();
    disk.crash();
    damage.push(...broker.damage.entries);
    await collectExpired();
    inFlight.clear();
    if (random.chance(0.4)) flip();
    await open();
    trace(`${step} recovered: ${JSON.stringify(broker.recovery)}`);
  };
  const flip = () => {
    const pattern = random.weighted({ segment: 6, index: 2, checkpoint: 1 });
    // The fault model: media damage in message segments (records are lost and reported), in segment
    // indexes (rebuilt from the segment) and in checkpoints (the previous one is used). The state journal
    // is outside it: its damage is detected and reported, but the records it hit are lost.
    const where = disk.flipBit(pattern === 'segment' ? /\/commitlog\/\d{20}\.log$/ : pattern === 'index' ? /\/commitlog\/\d{20}\.idx$/ : /\/state\/checkpoint-/);
    if (!where) return;
    trace(`${step} flip ${pattern} ${where.file}@${where.offset}`);
    if (pattern === 'segment') stats.flips++;
    else disk.faults.flippedBits.pop();
  };

  disk.mkdir(DATA_DIR);
  await open();
  // Groups reading from "first" subscribe before anything is sent: a group that subscribes later starts
  // at the oldest retained message, and what retention deleted before then was never its to miss.
  for (const group of GROUPS) if (group.consumeFrom === 'first') await receive(group);
  const background = new Set<Promise<unknown>>();
  for (step = 0; step < steps; step++) {
    const op = random.weighted({ send: 20, fifo: 10, delay: 4, txn: 4, receive: 25, ack: 15, nack: 4, advance: 8, retention: 3, checkpoint: 2, crash: 3, flip: 1 });
    let work: Promise<unknown>;
    switch (op) {
      case 'send':
        work = Promise.all(Array.from({ length: 1 + random.int(4) }, () => confirmSend(draft('normal', 'NORMAL'))));
        break;
      case 'fifo': {
        const messageGroup = random.pick(FIFO_GROUPS);
        // One message group's sends are never concurrent: their order is the send order.
        await Promise.all(background);
        work = confirmSend(draft('fifo', 'FIFO', { messageGroup }), { messageGroup });
        await work;
        continue;
      }
      case 'delay': {
        const deliverAt = clock.now() + random.int(20_000);
        work = confirmSend(draft('delay', 'DELAY', { deliverAt }), { deliverAt });
        break;
      }
      case 'txn': {
        const message = draft('txn', 'TRANSACTION');
        const decision = random.chance(0.7) ? 'commit' : 'rollback';
        oracle.transactions.set(message.messageId, decision);
        work = confirmSend(message).then(() =>
          random.chance(0.5) ? attempt((b) => b.transactions.endTransaction('txn', message.messageId, message.messageId, decision === 'commit')) : undefined,
        );
        break;
      }
      case 'receive':
        work = receive(random.pick(GROUPS));
        break;
      case 'ack':
        work = ack(random.pick(GROUPS), false);
        break;
      case 'nack':
        work = nack(random.pick(GROUPS));
        break;
      case 'advance':
        await clock.advance(random.int(4000));
        continue;
      case 'retention':
        stats.retentionRuns++;
        work = attempt(async (b) => trace(`${step} retention ${JSON.stringify(await b.retention.enforce())}`));
        break;
      case 'checkpoint':
        work = attempt((b) => b.checkpointing.now());
        break;
      case 'crash':
        // Crash at a random point: some work may still be in flight.
        for (let turns = random.int(4); turns > 0; turns--) await settle();
        await crash();
        background.clear();
        continue;
      case 'flip':
        flip();
        continue;
    }
    if (random.chance(0.3)) {
      background.add(work);
      void work.finally(() => background.delete(work));
    } else {
      await work;
    }
  }
  await Promise.all(background);

  // Drain: time for every delay and check-back, then consume and acknowledge everything.
  for (let round = 0; round < 40; round++) {
    await clock.advance(round < 20 ? 30_000 : 3_600_000);
    for (const group of GROUPS) {
      for (let batch = 0; batch < 200; batch++) {
        await receive(group, 32);
        const held = inFlight.get(group.name) ?? [];
        if (held.length === 0) break;
        await ack(group, true);
      }
    }
  }
  damage.push(...broker.damage.entries);
  await collectExpired();
  const listed = new Set((await broker.deadLetters.list('g-normal')).map((message) => message.messageId));
  await broker.close();

  const expectedFor = (group: Group) =>
    [...oracle.sent.values()]
      .filter((m) => m.topic === group.topic && (group.consumeFrom === 'first' || m.startedAt > lateSubscribedAt.step))
      .filter((m) => oracle.transactions.get(m.id) !== 'rollback')
      .map((m) => m.id);
  const flipped = disk.faults.flippedBits;
  // A flipped bit in the last record of the active segment can look like an unfinished write: then it is cut with a warn line.
  const reported = damage;
  const excused = (id: string) => {
    const record = oracle.sent.get(id)?.record;
    // A staged (delay, half) message's record moves; any reported damage of the log may have hit it.
    if (!record) return flipped.length > 0 && reported.length > 0;
    const hit = flipped.some((f) => f.file === record.file && f.offset >= record.start && f.offset < record.end);
    const covered = reported.some((d) => record.file.endsWith(`/${d.file}`) && d.offset < record.end && d.offset + d.length > record.start);
    return hit && covered;
  };
  oracle.finish(
    GROUPS.map((group) => ({
      group: group.name,
      expected: expectedFor(group),
      deadLettered: new Set([...oracle.sent.keys()].filter((id) => lastAttempts.has(`${group.name} ${id}`) || (group.name === 'g-normal' && listed.has(id)))),
      expired: expired.get(`${group.name} ${group.topic}`) ?? 0,
    })),
    excused,
  );
  Object.assign(stats, { damage: damage.length, lostWrites: disk.faults.lostWrites, tornWrites: disk.faults.tornWrites });
  return { seed, violations: oracle.violations, stats };
}

/** Where a confirmed message's record lies: its segment file and byte range in it. */
function locate(broker: Broker, topic: string, queueId: number, offset: number): SentMessage['record'] {
  const entry = broker.topics.require(topic).queues[queueId].entry(offset);
  const segment = entry && broker.storageReport().messageLog.segments.findLast((s) => s.base <= entry.position);
  if (!entry || !segment) return undefined;
  const start = entry.position - segment.base;
  return { file: `${DATA_DIR}/commitlog/${segment.name}`, start, end: start + entry.size };
}
