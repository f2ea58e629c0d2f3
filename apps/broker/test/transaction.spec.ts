import { TransactionResolution } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { bodyText, receiveCount, receiveDuring } from './support/messaging';
import { TestTopology } from './support/names';
import { RecordingChecker, sendInTransaction } from './support/transactions';
import { waitFor } from '@rocketmq-shop/testing';

const MAX_CHECKS = 5;
/** firstCheckAfterMs + (MAX_CHECKS - 1) * checkIntervalMs of the fast test settings, plus slack. */
const ALL_CHECKS_WINDOW_MS = 1000 + (MAX_CHECKS - 1) * 1000 + 4000;

const topology = new TestTopology();
const topics = {
  commit: topology.topic('TRANSACTION', 'tx-commit'),
  rollback: topology.topic('TRANSACTION', 'tx-rollback'),
  unknown: topology.topic('TRANSACTION', 'tx-unknown'),
  orphan: topology.topic('TRANSACTION', 'tx-orphan'),
  exhausted: topology.topic('TRANSACTION', 'tx-exhausted'),
};
const { clients, admin } = useBroker(topology.toConfig({ transaction: { maxChecks: MAX_CHECKS } }));

async function transactionalProducer(topic: string, checker = new RecordingChecker()) {
  return clients.producer({ topics: [topic], checker });
}

async function isHalf(transactionId: string): Promise<boolean> {
  return (await admin.halfMessages()).some((half) => half.transactionId === transactionId);
}

describe('transaction messages', () => {
  it('a committed half message is delivered, with __transactionId__, and only after the commit', async () => {
    const producer = await transactionalProducer(topics.commit);
    // Short long polling: the look for an early delivery must end before the check-backs give up.
    const consumer = await clients.simpleConsumer(`${topics.commit}-g`, { [topics.commit]: '*' }, { awaitDuration: 500 });
    const transaction = producer.beginTransaction();
    const receipt = await producer.send({ topic: topics.commit, body: Buffer.from('order paid') }, transaction);
    expect(receipt.transactionId).toBeTruthy();
    expect(await isHalf(receipt.transactionId)).toBe(true);
    expect(await receiveDuring(consumer, 300)).toEqual([]);

    await transaction.commit();
    const [message] = await receiveCount(consumer, 1, { timeoutMs: 10_000 });
    expect(message.messageId).toBe(receipt.messageId);
    expect(bodyText(message)).toBe('order paid');
    expect(message.properties.get('__transactionId__')).toBe(receipt.transactionId);
    expect(await isHalf(receipt.transactionId)).toBe(false);
  });

  it('a rolled back half message is never delivered', async () => {
    const producer = await transactionalProducer(topics.rollback);
    const consumer = await clients.simpleConsumer(`${topics.rollback}-g`, { [topics.rollback]: '*' });
    const receipt = await sendInTransaction(producer, { topic: topics.rollback, body: Buffer.from('cancelled') }, () => TransactionResolution.ROLLBACK);

    expect(await isHalf(receipt.transactionId)).toBe(false);
    expect(await receiveDuring(consumer, 3000)).toEqual([]);
  });

  it('UNKNOWN outcomes (local work threw or returned nothing) are resolved by the checker on check-back', async () => {
    const checker = new RecordingChecker((message) =>
      bodyText(message) === 'commit-on-check' ? TransactionResolution.COMMIT : TransactionResolution.ROLLBACK,
    );
    const producer = await transactionalProducer(topics.unknown, checker);
    const consumer = await clients.simpleConsumer(`${topics.unknown}-g`, { [topics.unknown]: '*' });
    const committed = await sendInTransaction(producer, { topic: topics.unknown, body: Buffer.from('commit-on-check') }, () => {
      throw new Error('local transaction crashed');
    });
    const rolledBack = await sendInTransaction(producer, { topic: topics.unknown, body: Buffer.from('rollback-on-check') }, () => undefined);

    const [message] = await receiveCount(consumer, 1, { timeoutMs: 15_000 });
    expect(message.messageId).toBe(committed.messageId);
    expect(message.properties.get('__transactionId__')).toBe(committed.transactionId);
    expect(checker.checksOf(committed.messageId)).toBeGreaterThanOrEqual(1);
    await waitFor(() => checker.checksOf(rolledBack.messageId) >= 1, { message: 'a check-back of the rolled-back transaction' });
    await waitFor(async () => !(await isHalf(committed.transactionId)) && !(await isHalf(rolledBack.transactionId)), {
      message: 'both transactions to leave GET /transactions',
    });
    expect(await receiveDuring(consumer, 2000)).toEqual([]);
  });

  it('a half message orphaned by a producer that shut down is checked with a NEW producer of the topic, which commits', async () => {
    const orphaning = await transactionalProducer(topics.orphan);
    const orphan = await sendInTransaction(orphaning, { topic: topics.orphan, body: Buffer.from('orphan') }, () => undefined);
    await clients.shutdownAll();

    const checker = new RecordingChecker(() => TransactionResolution.COMMIT);
    await transactionalProducer(topics.orphan, checker);
    const consumer = await clients.simpleConsumer(`${topics.orphan}-g`, { [topics.orphan]: '*' });
    const [message] = await receiveCount(consumer, 1, { timeoutMs: 20_000 });
    expect(message.messageId).toBe(orphan.messageId);
    expect(checker.checksOf(orphan.messageId)).toBeGreaterThanOrEqual(1);
    expect(checker.checked[0].topic).toBe(topics.orphan);
    expect(bodyText(checker.checked[0])).toBe('orphan');
  });

  it(`a transaction still unknown after ${MAX_CHECKS} check-backs is rolled back`, async () => {
    const checker = new RecordingChecker();
    const producer = await transactionalProducer(topics.exhausted, checker);
    const consumer = await clients.simpleConsumer(`${topics.exhausted}-g`, { [topics.exhausted]: '*' });
    const receipt = await sendInTransaction(producer, { topic: topics.exhausted, body: Buffer.from('never decided') }, () => undefined);

    await waitFor(async () => !(await isHalf(receipt.transactionId)), {
      timeoutMs: ALL_CHECKS_WINDOW_MS + 5000,
      message: 'the half message to leave GET /transactions',
    });
    await waitFor(() => checker.checksOf(receipt.messageId) >= MAX_CHECKS, { message: `${MAX_CHECKS} check-backs` });
    expect(await receiveDuring(consumer, 3000)).toEqual([]);
    expect(checker.checksOf(receipt.messageId)).toBe(MAX_CHECKS);
  });
});
