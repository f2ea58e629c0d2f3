import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { bodyText, receiveCount, receiveDuring } from './support/messaging';
import { TestTopology } from './support/names';
import { waitFor } from '@rocketmq-shop/testing';

/** The fast test settings set consumer.minInvisibleMs to this. */
const MIN_INVISIBLE_MS = 1000;
const DLQ_MAX_ATTEMPTS = 3;

const topology = new TestTopology();
const topics = {
  expiry: topology.topic('NORMAL', 'expiry'),
  extend: topology.topic('NORMAL', 'extend'),
  shorten: topology.topic('NORMAL', 'shorten'),
  shortenParked: topology.topic('NORMAL', 'shorten-parked'),
  deadLetter: topology.topic('NORMAL', 'dead-letter'),
};
const dlqGroup = topology.group('dlq-group', { maxAttempts: DLQ_MAX_ATTEMPTS });
const { clients, admin } = useBroker(topology.toConfig());

async function sendOne(topic: string, body: string): Promise<string> {
  const producer = await clients.producer({ topics: [topic] });
  return (await producer.send({ topic, body: Buffer.from(body) })).messageId;
}

describe('redelivery, invisible duration and dead letters', () => {
  it('redelivers an unacknowledged message after its invisible duration, with deliveryAttempt 2', async () => {
    const messageId = await sendOne(topics.expiry, 'retry me');
    const consumer = await clients.simpleConsumer(`${topics.expiry}-g`, { [topics.expiry]: '*' });

    const [first] = await receiveCount(consumer, 1, { ack: false, invisibleMs: MIN_INVISIBLE_MS });
    const firstAt = Date.now();
    expect(first.messageId).toBe(messageId);
    expect(first.deliveryAttempt).toBe(1);

    const [second] = await receiveCount(consumer, 1, { ack: false, invisibleMs: 10_000, timeoutMs: 15_000 });
    expect(second.messageId).toBe(messageId);
    expect(second.deliveryAttempt).toBe(2);
    expect(bodyText(second)).toBe('retry me');
    expect(second.receiptHandle).not.toBe(first.receiptHandle);
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(MIN_INVISIBLE_MS - 200);
    await consumer.ack(second);
  });

  it('changeInvisibleDuration extends: no redelivery before the new deadline, then attempt 2', async () => {
    const messageId = await sendOne(topics.extend, 'hold me');
    const consumer = await clients.simpleConsumer(`${topics.extend}-g`, { [topics.extend]: '*' });
    const [first] = await receiveCount(consumer, 1, { ack: false, invisibleMs: MIN_INVISIBLE_MS });
    const extendedAt = Date.now();
    await consumer.changeInvisibleDuration(first, 5000);

    const early = await receiveDuring(consumer, 3000, { ack: false, invisibleMs: 10_000 });
    expect(early.map((message) => message.messageId)).toEqual([]);

    const [again] = await receiveCount(consumer, 1, { ack: false, invisibleMs: 10_000, timeoutMs: 15_000 });
    expect(again.messageId).toBe(messageId);
    expect(again.deliveryAttempt).toBe(2);
    expect(Date.now() - extendedAt).toBeGreaterThanOrEqual(5000 - 200);
    await consumer.ack(again);
  });

  it('changeInvisibleDuration shortens: redelivered long before the original invisible duration', async () => {
    const messageId = await sendOne(topics.shorten, 'sooner');
    const consumer = await clients.simpleConsumer(`${topics.shorten}-g`, { [topics.shorten]: '*' });
    const [first] = await receiveCount(consumer, 1, { ack: false, invisibleMs: 60_000 });
    const shortenedAt = Date.now();
    await consumer.changeInvisibleDuration(first, MIN_INVISIBLE_MS);

    const [again] = await receiveCount(consumer, 1, { ack: false, invisibleMs: 10_000, timeoutMs: 15_000 });
    expect(again.messageId).toBe(messageId);
    expect(again.deliveryAttempt).toBe(2);
    expect(Date.now() - shortenedAt).toBeLessThan(15_000);
    await consumer.ack(again);
  });

  it('changeInvisibleDuration shortens: a receive already parked in its long poll wakes when the message falls due', async () => {
    const topic = topics.shortenParked;
    const messageId = await sendOne(topic, 'wake the poller');
    const holder = await clients.simpleConsumer(`${topic}-g`, { [topic]: '*' });
    const [first] = await receiveCount(holder, 1, { ack: false, invisibleMs: 60_000 });
    const poller = await clients.simpleConsumer(`${topic}-g`, { [topic]: '*' }, { awaitDuration: 20_000 });
    const lastSeen = async () => (await admin.get<{ clientId: string; lastSeen: number }[]>('/clients')).body.find((c) => c.clientId === poller.clientId)?.lastSeen ?? 0;
    const before = await lastSeen();
    const parked = poller.receive(1, 10_000);
    // Once the broker has seen the receive it parks (nothing is due for 60 s); only the shortened message may end it.
    await waitFor(async () => (await lastSeen()) > before, { timeoutMs: 5000, message: 'the poller\'s receive to reach the broker' });
    const shortenedAt = Date.now();
    await holder.changeInvisibleDuration(first, MIN_INVISIBLE_MS);
    const [again] = await parked;
    expect(again?.messageId).toBe(messageId);
    expect(again?.deliveryAttempt).toBe(2);
    expect(Date.now() - shortenedAt).toBeLessThan(MIN_INVISIBLE_MS + 3000);
    await poller.ack(again);
  });

  it(`moves a message to %DLQ%<group> after ${DLQ_MAX_ATTEMPTS} unacknowledged deliveries`, async () => {
    const messageId = await sendOne(topics.deadLetter, 'poison');
    const consumer = await clients.simpleConsumer(dlqGroup, { [topics.deadLetter]: '*' });

    const attempts: number[] = [];
    while (attempts.length < DLQ_MAX_ATTEMPTS) {
      const [delivery] = await receiveCount(consumer, 1, { ack: false, invisibleMs: MIN_INVISIBLE_MS, timeoutMs: 20_000 });
      expect(delivery.messageId).toBe(messageId);
      attempts.push(delivery.deliveryAttempt!);
    }
    expect(attempts).toEqual([1, 2, 3]);
    expect(await receiveDuring(consumer, 3000, { ack: false, invisibleMs: MIN_INVISIBLE_MS })).toEqual([]);

    const group = await waitFor(async () => {
      const state = await admin.group(dlqGroup);
      return state.dlq === 1 && state;
    }, { timeoutMs: 10_000, message: `GET /groups/${dlqGroup} to count 1 dead letter` });
    expect(group.topics.find((entry) => entry.topic === topics.deadLetter)?.backlog ?? 0).toBe(0);
    const listing = await admin.get(`/groups/${encodeURIComponent(dlqGroup)}/dlq`);
    expect(listing.status).toBe(200);
    expect(listing.text).toContain(messageId);

    const dlqReader = await clients.simpleConsumer(`${dlqGroup}-reader`, { [`%DLQ%${dlqGroup}`]: '*' });
    const [deadLetter] = await receiveCount(dlqReader, 1, { timeoutMs: 15_000 });
    expect(deadLetter.messageId).toBe(messageId);
    expect(bodyText(deadLetter)).toBe('poison');
  });
});
