import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageView, Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { TransactionResolution } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerConfigFile } from '@rocketmq-shop/testing';
import { BrokerHarness } from './support/harness';
import { collect, receiveDuring, sendAll } from './support/messaging';
import { TestTopology } from './support/names';
import { RecordingChecker, sendInTransaction } from './support/transactions';

const harnesses: BrokerHarness[] = [];

afterEach(async () => {
  await Promise.allSettled(harnesses.splice(0).map((harness) => harness.dispose()));
});

async function brokerWith(config: BrokerConfigFile): Promise<BrokerHarness> {
  const harness = new BrokerHarness();
  harnesses.push(harness);
  await harness.start(config);
  return harness;
}

/** Old clients reconnect to the restarted broker, so their shutdown can notify it and release everything. */
async function restart(harness: BrokerHarness): Promise<void> {
  await harness.broker.restart();
  await harness.clients.shutdownAll();
}

function bodies(topic: string, count: number, label: string, bytes = 1024) {
  return Array.from({ length: count }, (_, i) => ({ topic, body: Buffer.concat([Buffer.from(`${label}-${i}:`), Buffer.alloc(bytes, 'x')]) }));
}

/** Receives and acknowledges until `count` distinct messages arrived or the deadline passes. */
async function drain(consumer: SimpleConsumer, count: number, timeoutMs = 30_000): Promise<string[]> {
  const ids = new Set<string>();
  await collect(
    consumer,
    (received) => {
      for (const message of received) ids.add(message.messageId);
      return ids.size >= count;
    },
    { timeoutMs },
  );
  return [...ids];
}

function segments(dataDir: string): string[] {
  const dir = join(dataDir, 'commitlog');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => join(dir, name));
}

/** Flips a random bit in the first `share` of the file (1: anywhere). */
function flipBit(file: string, share = 1): number {
  const data = readFileSync(file);
  const offset = randomInt(Math.max(1, Math.floor(data.length * share)));
  data[offset] ^= 1 << randomInt(8);
  writeFileSync(file, data);
  return offset;
}

async function metric(harness: BrokerHarness, name: string, labels = ''): Promise<number> {
  const text = (await harness.admin.get<string>('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

interface StorageReport {
  damage: { kind: string; file: string; offset: number; length: number; copiedTo?: string }[];
  flowControl: { unconsumedBytes: number; residentBytes: number; throttling?: string };
  recovery: { metadata: string; rebuiltTopics: string[] };
}

const storage = async (harness: BrokerHarness) => (await harness.admin.get<StorageReport>('/storage')).body;

describe('storage under faults (real broker process)', () => {
  it('loses no acknowledged message over 20 SIGKILLs under load, keeps FIFO order, and counts duplicates', async ({ annotate }) => {
    const topology = new TestTopology();
    const normal = topology.topic('NORMAL', 'kill-normal');
    const fifo = topology.topic('FIFO', 'kill-fifo');
    const normalGroup = topology.group('kill-normal-g');
    const fifoGroup = topology.group('kill-fifo-g', { fifo: true });
    const harness = await brokerWith(topology.toConfig({ storage: { segmentBytes: 256 * 1024 } }));
    const messageGroups = ['u1', 'u2', 'u3', 'u4'];
    const acknowledged = new Set<string>();
    const delivered = new Map<string, number>();
    /** Producer side: next seq per message group (advanced only when a send is confirmed). */
    const nextToSend = new Map(messageGroups.map((g) => [g, 0]));
    /** Consumer side: next seq expected per message group. */
    const expected = new Map(messageGroups.map((g) => [g, 0]));
    const violations: string[] = [];
    let fifoDuplicates = 0;

    const consumeFifo = (consumer: SimpleConsumer, messages: MessageView[]) =>
      (async () => {
        for (const message of messages) {
          const group = message.messageGroup ?? '';
          const seq = Number(message.properties.get('seq'));
          const want = expected.get(group) ?? 0;
          if (seq > want) {
            violations.push(`${group}: got #${seq} while #${want} was not processed`);
            continue;
          }
          if (seq < want) fifoDuplicates++;
          // Processed, then acknowledged, as an application does: if the ack is lost, the message comes again.
          if (seq === want) expected.set(group, want + 1);
          await consumer.ack(message).catch(() => undefined);
        }
      })();

    for (let round = 0; round < 20; round++) {
      // One topic per producer: client 1.0.8 can miss the settings reply when several are declared, and hang.
      const producer = await harness.clients.producer({ topics: [normal], maxAttempts: 1 });
      const fifoProducer = await harness.clients.producer({ topics: [fifo], maxAttempts: 1 });
      const normalConsumer = await harness.clients.simpleConsumer(normalGroup, { [normal]: '*' });
      const fifoConsumer = await harness.clients.simpleConsumer(fifoGroup, { [fifo]: '*' });
      const state = { running: true, confirmed: 0 };
      const produce = async () => {
        while (state.running) {
          const batch = bodies(normal, 8, `r${round}`, 256).map((message) => producer.send(message).then((receipt) => acknowledged.add(receipt.messageId)));
          const ordered = messageGroups.map(async (group) => {
            const seq = nextToSend.get(group) ?? 0;
            await fifoProducer.send({ topic: fifo, messageGroup: group, body: Buffer.from(`${group}#${seq}`), properties: new Map([['seq', String(seq)]]) });
            nextToSend.set(group, seq + 1);
          });
          const results = await Promise.allSettled([...batch, ...ordered]);
          state.confirmed += results.filter((r) => r.status === 'fulfilled').length;
          if (results.some((r) => r.status === 'rejected')) return;
        }
      };
      const consumeNormal = async () => {
        while (state.running) {
          const plain = await normalConsumer.receive(32, 10_000).catch(() => []);
          for (const message of plain) delivered.set(message.messageId, (delivered.get(message.messageId) ?? 0) + 1);
          await Promise.all(plain.map((message) => normalConsumer.ack(message))).catch(() => undefined);
        }
      };
      const consumeOrdered = async () => {
        while (state.running) await consumeFifo(fifoConsumer, await fifoConsumer.receive(32, 10_000).catch(() => []));
      };
      const work = Promise.allSettled([produce(), consumeNormal(), consumeOrdered()]);
      // Kill at a different point of the load each round: after some more sends were confirmed.
      const target = 40 + randomInt(200);
      const deadline = Date.now() + 20_000;
      while (state.confirmed < target && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      await harness.broker.kill();
      state.running = false;
      await work;
      await restart(harness);
    }

    const normalConsumer = await harness.clients.simpleConsumer(normalGroup, { [normal]: '*' });
    const fifoConsumer = await harness.clients.simpleConsumer(fifoGroup, { [fifo]: '*' });
    const lost = () => [...acknowledged].filter((id) => !delivered.has(id));
    const fifoDone = () => messageGroups.every((group) => (expected.get(group) ?? 0) >= (nextToSend.get(group) ?? 0));
    const deadline = Date.now() + 60_000;
    await Promise.all([
      (async () => {
        while (lost().length > 0 && Date.now() < deadline) {
          const plain = await normalConsumer.receive(32, 10_000);
          for (const message of plain) delivered.set(message.messageId, (delivered.get(message.messageId) ?? 0) + 1);
          await Promise.all(plain.map((message) => normalConsumer.ack(message)));
        }
      })(),
      (async () => {
        while (!fifoDone() && Date.now() < deadline) await consumeFifo(fifoConsumer, await fifoConsumer.receive(32, 10_000));
      })(),
    ]);
    const duplicates = [...delivered.values()].filter((count) => count > 1).length;
    await annotate(`${acknowledged.size} acknowledged NORMAL sends, ${duplicates} delivered more than once; FIFO: ${[...nextToSend.values()].reduce((a, b) => a + b, 0)} confirmed, ${fifoDuplicates} duplicates`);
    expect(acknowledged.size).toBeGreaterThan(400);
    expect(lost(), 'acknowledged but never delivered').toEqual([]);
    expect(violations, 'FIFO order violations').toEqual([]);
    const progress = messageGroups.map((group) => `${group} processed ${expected.get(group)} of ${nextToSend.get(group)}`).join(', ');
    expect(fifoDone(), `every confirmed FIFO message processed: ${progress}; ${JSON.stringify(await harness.admin.groupTopic(fifoGroup, fifo))}`).toBe(true);
  }, 300_000);

  it('a flipped bit costs only the record it hits, in sealed and in the active segment; it is reported, and acknowledged groups get nothing again', async () => {
    const topology = new TestTopology();
    const topic = topology.topic('NORMAL', 'flips');
    const acked = topology.group('flips-acked');
    const reader = topology.group('flips-reader');
    const harness = await brokerWith(topology.toConfig({ storage: { segmentBytes: 128 * 1024 } }));
    const producer = await harness.clients.producer({ topics: [topic] });
    const first = (await sendAll(producer, bodies(topic, 500, 'first'))).map((r) => r.messageId);
    const ackedConsumer = await harness.clients.simpleConsumer(acked, { [topic]: '*' });
    expect(await drain(ackedConsumer, first.length)).toHaveLength(first.length);
    expect(await harness.broker.stop()).toBe(0);

    // Two flips in sealed (older) segments, whose indexes spare recovery from reading them.
    const older = segments(harness.broker.dataDir);
    expect(older.length).toBeGreaterThan(3);
    for (const file of [older[0], older[Math.floor(older.length / 2)]]) flipBit(file);
    await restart(harness);

    const secondProducer = await harness.clients.producer({ topics: [topic] });
    const second = (await sendAll(secondProducer, bodies(topic, 300, 'second'))).map((r) => r.messageId);
    // One flip in the active segment, after a crash, with records after it: recovery scans the segment and
    // resynchronises past the damage instead of cutting everything behind it.
    await harness.broker.kill();
    const active = segments(harness.broker.dataDir).at(-1) as string;
    const activeSize = statSync(active).size;
    flipBit(active, 0.8);
    await restart(harness);
    expect(statSync(active).size, 'the active segment is not cut after the damage').toBe(activeSize);

    const all = [...first, ...second];
    const readerConsumer = await harness.clients.simpleConsumer(reader, { [topic]: '*' });
    const received = new Set(await drain(readerConsumer, all.length - 3, 30_000));
    received.forEach((id) => expect(all).toContain(id));
    const lost = all.filter((id) => !received.has(id));
    expect(lost.length, `lost: ${lost.join(', ')}`).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeLessThanOrEqual(3);

    const report = await storage(harness);
    const corrupt = report.damage.filter((d) => d.kind === 'corrupt');
    expect(corrupt.length).toBeGreaterThanOrEqual(lost.length);
    for (const damage of corrupt) {
      expect(damage.file).toMatch(/^commitlog\/\d{20}\.log$/);
      expect(damage.copiedTo).toMatch(/^damaged\//);
    }
    expect(await metric(harness, 'rocketmq_storage_corrupt_records_total')).toBeGreaterThanOrEqual(1);
    expect(harness.broker.output).toMatch(/"level":"error".*storage damage/);

    const ackedAgain = await harness.clients.simpleConsumer(acked, { [topic]: '*' });
    const again = (await receiveDuring(ackedAgain, 3000)).map((m) => m.messageId);
    expect(again.filter((id) => first.includes(id)), 'acknowledged before, delivered again').toEqual([]);
  }, 180_000);

  it('size retention deletes old segments but no state: group progress, a pending delay and a half message survive a restart; expiry is counted and logged', async () => {
    const topology = new TestTopology();
    const topic = topology.topic('NORMAL', 'retained');
    const delayTopic = topology.topic('DELAY', 'retained-delay');
    const halfTopic = topology.topic('TRANSACTION', 'retained-half');
    const early = topology.group('retained-first');
    const late = topology.group('retained-last', { consumeFrom: 'last' });
    // Check-backs go on until a checker decides (the first producer's checker never does).
    const harness = await brokerWith(topology.toConfig({ storage: { segmentBytes: 32 * 1024, retentionBytes: 128 * 1024 }, transaction: { maxChecks: 1000 } }));

    const lateConsumer = await harness.clients.simpleConsumer(late, { [topic]: '*' });
    expect(await receiveDuring(lateConsumer, 500)).toEqual([]); // subscribes at the current end
    const delayProducer = await harness.clients.producer({ topics: [delayTopic] });
    const dueAt = Date.now() + 12_000;
    const delayed = await delayProducer.send({ topic: delayTopic, body: Buffer.from('later'), deliveryTimestamp: new Date(dueAt) });
    const halfProducer = await harness.clients.producer({ topics: [halfTopic], checker: new RecordingChecker() });
    const half = await sendInTransaction(halfProducer, { topic: halfTopic, body: Buffer.from('undecided') }, () => undefined);
    const producer = await harness.clients.producer({ topics: [topic] });
    const sent = (await sendAll(producer, bodies(topic, 300, 'bulk'))).map((r) => r.messageId);
    const earlyConsumer = await harness.clients.simpleConsumer(early, { [topic]: '*' });
    const consumedBefore = await drain(earlyConsumer, 50);

    const retention = (await harness.admin.post<{ deletedSegments: string[]; relocated: number; expired: Record<string, number> }>('/storage/retention', {})).body;
    expect(retention.deletedSegments.length).toBeGreaterThan(0);
    expect(retention.relocated).toBe(2);
    const expiredEarly = retention.expired[`${early} ${topic}`];
    const expiredLate = retention.expired[`${late} ${topic}`];
    expect(expiredEarly).toBeGreaterThan(0);
    expect(expiredLate).toBeGreaterThan(expiredEarly);
    expect(await metric(harness, 'rocketmq_messages_expired_total', `topic="${topic}",consumer_group="${early}"`)).toBe(expiredEarly);
    expect(harness.broker.output).toContain('retention deleted messages this group had not consumed');

    await harness.broker.kill();
    await restart(harness);
    const checker = new RecordingChecker(() => TransactionResolution.COMMIT);
    await harness.clients.producer({ topics: [halfTopic], checker });

    const earlyAfter = await harness.clients.simpleConsumer(early, { [topic]: '*' });
    const earlyRest = await drain(earlyAfter, sent.length - consumedBefore.length - expiredEarly);
    expect(earlyRest.filter((id) => consumedBefore.includes(id)), 'acknowledged before, delivered again').toEqual([]);
    expect(consumedBefore.length + expiredEarly + earlyRest.length).toBe(sent.length);
    expect(await receiveDuring(earlyAfter, 1500)).toEqual([]);

    const lateAfter = await harness.clients.simpleConsumer(late, { [topic]: '*' });
    const lateRest = await drain(lateAfter, sent.length - expiredLate);
    expect(lateRest.length + expiredLate, 'the late group kept its backlog: it starts neither over nor at the end').toBe(sent.length);

    const delayConsumer = await harness.clients.simpleConsumer(topology.group('retained-delay-g'), { [delayTopic]: '*' });
    const [delivered] = (await collect(delayConsumer, (r) => r.length > 0, { timeoutMs: 30_000 })).received;
    expect(delivered?.messageId).toBe(delayed.messageId);
    expect(Date.now()).toBeGreaterThanOrEqual(dueAt);
    const halfConsumer = await harness.clients.simpleConsumer(topology.group('retained-half-g'), { [halfTopic]: '*' });
    const [committed] = (await collect(halfConsumer, (r) => r.length > 0, { timeoutMs: 30_000 })).received;
    expect(committed?.messageId).toBe(half.messageId);
    expect(checker.checksOf(half.messageId)).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it('time retention deletes segments by age; a group continues at the oldest retained message after a restart', async () => {
    const topology = new TestTopology();
    const topic = topology.topic('NORMAL', 'aged');
    const group = topology.group('aged-g');
    const harness = await brokerWith(topology.toConfig({ storage: { segmentBytes: 16 * 1024, retentionHours: 1 / 3600 } }));
    const producer = await harness.clients.producer({ topics: [topic] });
    const old = (await sendAll(producer, bodies(topic, 100, 'old'))).map((r) => r.messageId);
    const consumer = await harness.clients.simpleConsumer(group, { [topic]: '*' });
    const consumed = await drain(consumer, 10);
    const agedAt = Date.now() + 1100;
    while (Date.now() < agedAt) await new Promise((resolve) => setTimeout(resolve, 50));
    const fresh = (await sendAll(producer, bodies(topic, 5, 'fresh'))).map((r) => r.messageId);

    const retention = (await harness.admin.post<{ deletedSegments: string[]; expired: Record<string, number> }>('/storage/retention', {})).body;
    expect(retention.deletedSegments.length).toBeGreaterThan(0);
    const expired = retention.expired[`${group} ${topic}`] ?? 0;
    expect(expired).toBeGreaterThan(0);
    expect(await harness.broker.stop()).toBe(0);
    await restart(harness);

    const after = await harness.clients.simpleConsumer(group, { [topic]: '*' });
    const rest = await drain(after, old.length + fresh.length - consumed.length - expired);
    expect(rest.filter((id) => consumed.includes(id))).toEqual([]);
    expect(consumed.length + expired + rest.length).toBe(old.length + fresh.length);
    expect(rest).toEqual(expect.arrayContaining(fresh));
  }, 120_000);

  it('flow control: sends beyond the unconsumed-bytes quota get TOO_MANY_REQUESTS naming the quota, and succeed again once consumers drain', async () => {
    const topology = new TestTopology();
    const topic = topology.topic('NORMAL', 'quota');
    const group = topology.group('quota-g');
    const harness = await brokerWith(topology.toConfig({ storage: { maxUnconsumedBytes: 200 * 1024 } }));
    const consumer = await harness.clients.simpleConsumer(group, { [topic]: '*' });
    await receiveDuring(consumer, 300); // the group subscribes: its backlog counts from now on
    const producer: Producer = await harness.clients.producer({ topics: [topic], maxAttempts: 1 });
    let accepted = 0;
    let refusal: { code?: number; message: string } | undefined;
    for (let i = 0; i < 1000 && !refusal; i++) {
      try {
        await producer.send({ topic, body: Buffer.alloc(2048, 'q') });
        accepted++;
      } catch (error) {
        refusal = error as { code?: number; message: string };
      }
    }
    expect(refusal?.code).toBe(42900);
    expect(refusal?.message).toContain('storage.maxUnconsumedBytes');
    expect(accepted).toBeGreaterThan(50);
    expect((await storage(harness)).flowControl.throttling).toContain('storage.maxUnconsumedBytes');
    expect(await metric(harness, 'rocketmq_throttled_sends_total', 'reason="unconsumed"')).toBeGreaterThanOrEqual(1);

    expect(await drain(consumer, accepted)).toHaveLength(accepted);
    const deadline = Date.now() + 5000;
    while ((await storage(harness)).flowControl.throttling && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(producer.send({ topic, body: Buffer.alloc(2048, 'q') })).resolves.toMatchObject({ messageId: expect.any(String) });
    expect((await storage(harness)).flowControl.residentBytes).toBeLessThan(512 * 1024 * 1024);
  }, 120_000);

  it.each([
    ['deleted', (dataDir: string) => unlinkSync(join(dataDir, 'metadata.json')), 'checkpoint'],
    ['truncated', (dataDir: string) => writeFileSync(join(dataDir, 'metadata.json'), readFileSync(join(dataDir, 'metadata.json')).subarray(0, 40)), 'checkpoint'],
    [
      'deleted with every checkpoint and the state journal',
      (dataDir: string) => {
        unlinkSync(join(dataDir, 'metadata.json'));
        rmSync(join(dataDir, 'state'), { recursive: true });
      },
      'log',
    ],
  ])('metadata.json %s: topics created at run time and their messages come back, loudly', async (_, damage, source) => {
    const topology = new TestTopology();
    const group = topology.group('meta-g');
    const harness = await brokerWith(topology.toConfig());
    const topic = topology.topic('NORMAL', 'runtime');
    expect((await harness.admin.post('/topics', { name: topic, type: 'NORMAL', queues: 4 })).status).toBe(201);
    const producer = await harness.clients.producer({ topics: [topic] });
    const sent = (await sendAll(producer, bodies(topic, 200, 'meta', 64))).map((r) => r.messageId);
    expect(await harness.broker.stop()).toBe(0);
    damage(harness.broker.dataDir);
    await restart(harness);

    const report = await storage(harness);
    expect(report.recovery.metadata).toBe(source);
    expect(harness.broker.output).toMatch(/"level":"error".*metadata\.json is/);
    expect((await harness.admin.get<{ queues: unknown[] }>(`/topics/${topic}`)).body.queues).toHaveLength(4);
    const consumer = await harness.clients.simpleConsumer(group, { [topic]: '*' });
    expect((await drain(consumer, sent.length)).sort()).toEqual([...sent].sort());
  }, 60_000);
});
