import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionResolution } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { collect, containsAll, receiveCount, receiveDuring, sendAll, tally } from './support/messaging';
import { TestTopology } from './support/names';
import { RecordingChecker, sendInTransaction } from './support/transactions';

const topology = new TestTopology();
const topics = {
  crash: topology.topic('NORMAL', 'crash'),
  inflightCrash: topology.topic('NORMAL', 'inflight-crash'),
  longPoll: topology.topic('NORMAL', 'long-poll'),
  progress: topology.topic('NORMAL', 'progress'),
  tornTail: topology.topic('NORMAL', 'torn-tail'),
  pendingDelay: topology.topic('DELAY', 'pending-delay'),
  pendingHalf: topology.topic('TRANSACTION', 'pending-half'),
};
// Check-backs count across restarts (as on Apache): enough of them that the undecided checker cannot exhaust them first.
const harness = useBroker(topology.toConfig({ transaction: { maxChecks: 100 } }));
const { clients } = harness;

function messagesFor(topic: string, count: number, label: string) {
  return Array.from({ length: count }, (_, i) => ({ topic, body: Buffer.from(`${label}-${i}`) }));
}

/** The commit-log segment written last. */
function newestCommitLogSegment(dataDir: string): string {
  const dir = join(dataDir, 'commitlog');
  const segments = readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path));
  if (segments.length === 0) throw new Error(`no *.log segment in ${dir}`);
  return segments[segments.length - 1].path;
}

/** Old clients reconnect to the restarted broker, so their shutdown can notify it and release everything. */
async function restartAndDropOldClients(): Promise<void> {
  await harness.broker.restart();
  await clients.shutdownAll();
}

describe('durability across crashes and restarts', () => {
  it('delivers every acknowledged message after a SIGKILL right after the last send resolved', async ({ annotate }) => {
    const producer = await clients.producer({ topics: [topics.crash] });
    const receipts = await sendAll(producer, messagesFor(topics.crash, 300, 'crash'));
    await harness.broker.kill();
    await restartAndDropOldClients();

    const acknowledged = receipts.map((receipt) => receipt.messageId);
    const consumer = await clients.simpleConsumer(`${topics.crash}-g`, { [topics.crash]: '*' });
    const { received } = await collect(consumer, containsAll(acknowledged), { timeoutMs: 30_000 });
    const counts = tally(received.map((message) => message.messageId));
    expect(acknowledged.filter((id) => !counts.has(id)), 'acknowledged but lost').toEqual([]);
    const duplicates = [...counts.values()].filter((count) => count > 1).length;
    await annotate(`${duplicates} of ${acknowledged.length} messages delivered more than once (allowed)`);
  });

  it('redelivers after a SIGKILL the messages that were received but not yet acknowledged', async () => {
    const producer = await clients.producer({ topics: [topics.inflightCrash] });
    const sent = (await sendAll(producer, messagesFor(topics.inflightCrash, 10, 'in-flight'))).map((receipt) => receipt.messageId);
    const group = `${topics.inflightCrash}-g`;
    const before = await clients.simpleConsumer(group, { [topics.inflightCrash]: '*' });
    await receiveCount(before, sent.length, { ack: false, invisibleMs: 3000 });
    await harness.broker.kill();
    await restartAndDropOldClients();

    const after = await clients.simpleConsumer(group, { [topics.inflightCrash]: '*' });
    const { received } = await collect(after, containsAll(sent), { timeoutMs: 20_000 });
    const redelivered = new Set(received.map((message) => message.messageId));
    expect(sent.filter((id) => !redelivered.has(id)), 'in flight at the crash, never redelivered').toEqual([]);
  });

  it('SIGTERM ends the open streams (telemetry, a long poll) and exits 0 promptly', async () => {
    // The started consumer holds a telemetry stream open; its receive is a long poll the broker must end too.
    const consumer = await clients.simpleConsumer(`${topics.longPoll}-g`, { [topics.longPoll]: '*' }, { awaitDuration: 20_000 });
    const polling = consumer.receive(1, 15_000).catch(() => []);
    const stoppedAt = Date.now();
    expect(await harness.broker.stop()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    await polling;
    await restartAndDropOldClients();
  });

  it('keeps consume progress over a graceful restart: acked messages are not delivered again', async () => {
    const producer = await clients.producer({ topics: [topics.progress] });
    const sent = (await sendAll(producer, messagesFor(topics.progress, 40, 'progress'))).map((receipt) => receipt.messageId);
    const group = `${topics.progress}-g`;
    const before = await clients.simpleConsumer(group, { [topics.progress]: '*' });
    const acked: string[] = [];
    while (acked.length < 20) {
      const batch = await before.receive(20 - acked.length, 15_000);
      await Promise.all(batch.map((message) => before.ack(message)));
      acked.push(...batch.map((message) => message.messageId));
    }

    expect(await harness.broker.stop()).toBe(0);
    await restartAndDropOldClients();

    const after = await clients.simpleConsumer(group, { [topics.progress]: '*' });
    const rest = await receiveCount(after, 20, { timeoutMs: 20_000 });
    const late = await receiveDuring(after, 3000);
    const redelivered = [...rest, ...late].map((message) => message.messageId);
    expect(redelivered.filter((id) => acked.includes(id)), 'acked before the restart, delivered again').toEqual([]);
    expect(redelivered.sort()).toEqual(sent.filter((id) => !acked.includes(id)).sort());
  });

  it('recovers from a torn tail in the newest commit-log segment: earlier messages delivered, new sends work and survive', async () => {
    const producer = await clients.producer({ topics: [topics.tornTail] });
    const earlier = (await sendAll(producer, messagesFor(topics.tornTail, 30, 'before-tear'))).map((receipt) => receipt.messageId);
    expect(await harness.broker.stop()).toBe(0);

    const segment = newestCommitLogSegment(harness.broker.dataDir);
    const recordStart = readFileSync(segment).subarray(0, 64);
    appendFileSync(segment, Buffer.concat([recordStart, randomBytes(200)]));
    await restartAndDropOldClients();

    const consumer = await clients.simpleConsumer(`${topics.tornTail}-g`, { [topics.tornTail]: '*' });
    const recovered = await receiveCount(consumer, earlier.length, { timeoutMs: 20_000 });
    expect(recovered.map((message) => message.messageId).sort()).toEqual([...earlier].sort());

    const newProducer = await clients.producer({ topics: [topics.tornTail] });
    const later = (await sendAll(newProducer, messagesFor(topics.tornTail, 5, 'after-tear'))).map((receipt) => receipt.messageId);
    const fresh = await receiveCount(consumer, later.length, { timeoutMs: 15_000 });
    expect(fresh.map((message) => message.messageId).sort()).toEqual([...later].sort());

    // Appends after the recovery must follow the last valid record, not the garbage, or the next start loses them.
    expect(await harness.broker.stop()).toBe(0);
    await restartAndDropOldClients();
    const rereader = await clients.simpleConsumer(`${topics.tornTail}-reread`, { [topics.tornTail]: '*' });
    const everything = await receiveCount(rereader, earlier.length + later.length, { timeoutMs: 20_000 });
    expect(everything.map((message) => message.messageId).sort()).toEqual([...earlier, ...later].sort());
  });

  it('a delay message not yet due at a restart is delivered after it, when due', async () => {
    const producer = await clients.producer({ topics: [topics.pendingDelay] });
    const due = Date.now() + 4000;
    const receipt = await producer.send({ topic: topics.pendingDelay, body: Buffer.from('due later'), deliveryTimestamp: new Date(due) });
    expect(await harness.broker.stop()).toBe(0);
    await restartAndDropOldClients();

    const consumer = await clients.simpleConsumer(`${topics.pendingDelay}-g`, { [topics.pendingDelay]: '*' });
    const [message] = await receiveCount(consumer, 1, { timeoutMs: 15_000 });
    expect(message.messageId).toBe(receipt.messageId);
    expect(Date.now()).toBeGreaterThanOrEqual(due);
  });

  it('a half message pending at a restart is checked back afterwards and committed', async () => {
    const undecided = await clients.producer({ topics: [topics.pendingHalf], checker: new RecordingChecker() });
    const receipt = await sendInTransaction(undecided, { topic: topics.pendingHalf, body: Buffer.from('pending') }, () => undefined);
    expect(await harness.broker.stop()).toBe(0);
    await restartAndDropOldClients();

    const checker = new RecordingChecker(() => TransactionResolution.COMMIT);
    await clients.producer({ topics: [topics.pendingHalf], checker });
    const consumer = await clients.simpleConsumer(`${topics.pendingHalf}-g`, { [topics.pendingHalf]: '*' });
    const [message] = await receiveCount(consumer, 1, { timeoutMs: 15_000 });
    expect(message.messageId).toBe(receipt.messageId);
    expect(checker.checksOf(receipt.messageId)).toBeGreaterThanOrEqual(1);
  });
});
