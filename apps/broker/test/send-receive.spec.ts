import { randomBytes } from 'node:crypto';
import { BadRequestException } from 'rocketmq-client-nodejs';
import { Code } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { expectClientException } from './support/errors';
import { useBroker } from './support/harness';
import { bodyText, receiveCount, receiveDuring, sendAll, tally } from './support/messaging';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topics = {
  roundTrip: topology.topic('NORMAL', 'round-trip'),
  binary: topology.topic('NORMAL', 'binary'),
  doubleAck: topology.topic('NORMAL', 'double-ack'),
  fanOut: topology.topic('NORMAL', 'fan-out'),
  fromLast: topology.topic('NORMAL', 'from-last'),
  volume: topology.topic('NORMAL', 'volume'),
};
const fromLastGroup = topology.group('from-last-group', { consumeFrom: 'last' });
const { clients } = useBroker(topology.toConfig());

describe('send and receive with the official client', () => {
  it('delivers a sent message with its body, tag, keys and properties, and acks it', async () => {
    const producer = await clients.producer({ topics: [topics.roundTrip] });
    const properties = new Map([
      ['orderId', 'o-42'],
      ['traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
      ['city', 'Zürich 東京'],
    ]);
    const sentAt = Date.now();
    const receipt = await producer.send({
      topic: topics.roundTrip,
      body: Buffer.from('hello broker'),
      tag: 'created',
      keys: ['order-42', 'customer-7'],
      properties,
    });
    expect(receipt.messageId).toMatch(/^[0-9A-F]{32,}$/);
    expect(receipt.transactionId).toBe(receipt.messageId);
    expect(receipt.offset).toBeGreaterThanOrEqual(0);

    const consumer = await clients.simpleConsumer(`${topics.roundTrip}-g`, { [topics.roundTrip]: '*' });
    const [message] = await receiveCount(consumer, 1, { ack: false });
    expect(message.messageId).toBe(receipt.messageId);
    expect(message.topic).toBe(topics.roundTrip);
    expect(bodyText(message)).toBe('hello broker');
    expect(message.tag).toBe('created');
    expect(message.keys.sort()).toEqual(['customer-7', 'order-42']);
    for (const [key, value] of properties) expect(message.properties.get(key)).toBe(value);
    // MessageView throws without a body digest and flags a wrong one as corrupted.
    expect(message.corrupted).not.toBe(true);
    expect(message.deliveryAttempt).toBe(1);
    expect(message.bornTimestamp!.getTime()).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(message.receiptHandle).toBeTruthy();

    await consumer.ack(message);
  });

  it('delivers a binary body byte for byte', async () => {
    const producer = await clients.producer({ topics: [topics.binary] });
    const body = randomBytes(64 * 1024);
    await producer.send({ topic: topics.binary, body });
    const consumer = await clients.simpleConsumer(`${topics.binary}-g`, { [topics.binary]: '*' });
    const [message] = await receiveCount(consumer, 1);
    expect(message.body.equals(body)).toBe(true);
    expect(message.corrupted).not.toBe(true);
  });

  it('refuses a second ack of the same receipt handle with INVALID_RECEIPT_HANDLE', async () => {
    const producer = await clients.producer({ topics: [topics.doubleAck] });
    await producer.send({ topic: topics.doubleAck, body: Buffer.from('once') });
    const consumer = await clients.simpleConsumer(`${topics.doubleAck}-g`, { [topics.doubleAck]: '*' });
    const [message] = await receiveCount(consumer, 1, { ack: false });
    await consumer.ack(message);

    await expectClientException(consumer.ack(message), BadRequestException, Code.INVALID_RECEIPT_HANDLE);
  });

  it('refuses an ack with a receipt handle it never issued', async () => {
    const producer = await clients.producer({ topics: [topics.doubleAck] });
    await producer.send({ topic: topics.doubleAck, body: Buffer.from('forged') });
    const consumer = await clients.simpleConsumer(`${topics.doubleAck}-forged`, { [topics.doubleAck]: '*' });
    const [message] = await receiveCount(consumer, 1, { ack: false });
    Object.assign(message, { receiptHandle: 'not-a-handle-this-broker-issued' });

    await expectClientException(consumer.ack(message), BadRequestException, Code.INVALID_RECEIPT_HANDLE);
  });

  it('fans out: every consumer group receives every message', async () => {
    const producer = await clients.producer({ topics: [topics.fanOut] });
    const receipts = await sendAll(producer, Array.from({ length: 20 }, (_, i) => ({ topic: topics.fanOut, body: Buffer.from(`m${i}`) })));
    const sent = receipts.map((receipt) => receipt.messageId).sort();

    for (const group of [`${topics.fanOut}-a`, `${topics.fanOut}-b`]) {
      const consumer = await clients.simpleConsumer(group, { [topics.fanOut]: '*' });
      const received = await receiveCount(consumer, sent.length);
      expect(received.map((message) => message.messageId).sort(), group).toEqual(sent);
    }
  });

  it('a group configured with consumeFrom "last" skips what the topic held before the group existed', async () => {
    const producer = await clients.producer({ topics: [topics.fromLast] });
    await sendAll(producer, Array.from({ length: 5 }, (_, i) => ({ topic: topics.fromLast, body: Buffer.from(`old-${i}`) })));
    const consumer = await clients.simpleConsumer(fromLastGroup, { [topics.fromLast]: '*' });
    expect(await receiveDuring(consumer, 500)).toEqual([]);

    const fresh = await sendAll(producer, Array.from({ length: 3 }, (_, i) => ({ topic: topics.fromLast, body: Buffer.from(`new-${i}`) })));
    const received = await receiveCount(consumer, fresh.length);
    expect(received.map((message) => message.messageId).sort()).toEqual(fresh.map((receipt) => receipt.messageId).sort());
  });

  it('delivers 500 messages exactly once per group to competing consumers of two groups', async () => {
    const producer = await clients.producer({ topics: [topics.volume] });
    const receipts = await sendAll(producer, Array.from({ length: 500 }, (_, i) => ({ topic: topics.volume, body: Buffer.from(`bulk-${i}`) })));
    const sent = receipts.map((receipt) => receipt.messageId).sort();
    expect(new Set(sent).size).toBe(500);

    const consumeGroup = async (group: string) => {
      const consumers = await Promise.all([1, 2].map(() => clients.simpleConsumer(group, { [topics.volume]: '*' })));
      const target = sent.length;
      let seen = 0;
      const perConsumer = await Promise.all(
        consumers.map(async (consumer) => {
          const mine: string[] = [];
          const deadline = Date.now() + 45_000;
          while (seen < target && Date.now() < deadline) {
            const batch = await consumer.receive(32, 15_000);
            await Promise.all(batch.map((message) => consumer.ack(message)));
            mine.push(...batch.map((message) => message.messageId));
            seen += batch.length;
          }
          return mine;
        }),
      );
      return perConsumer.flat();
    };

    for (const group of [`${topics.volume}-a`, `${topics.volume}-b`]) {
      const received = await consumeGroup(group);
      const duplicates = [...tally(received)].filter(([, count]) => count > 1);
      expect(duplicates, `${group} duplicates`).toEqual([]);
      expect(received.sort(), group).toEqual(sent);
    }
  });
});
