import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { bodyText, receiveCount, receiveDuring } from './support/messaging';
import { TestTopology } from './support/names';

const DELAY_MS = 2000;
/** How late the broker may deliver a due message (timer precision plus long polling). */
const LATENESS_MS = 3000;

const topology = new TestTopology();
const topics = {
  delay: topology.topic('DELAY', 'delay'),
  deliveryTimestamp: topology.topic('DELAY', 'delivery-timestamp'),
  recall: topology.topic('DELAY', 'recall'),
};
const { clients } = useBroker(topology.toConfig());

describe('delay messages', () => {
  it.each([
    ['delay', topics.delay, (now: number) => ({ delay: DELAY_MS, due: now + DELAY_MS })],
    ['deliveryTimestamp', topics.deliveryTimestamp, (now: number) => ({ deliveryTimestamp: new Date(now + DELAY_MS), due: now + DELAY_MS })],
  ])('a message with %s is not delivered before it is due, and is delivered soon after', async (_, topic, schedule) => {
    const producer = await clients.producer({ topics: [topic] });
    const consumer = await clients.simpleConsumer(`${topic}-g`, { [topic]: '*' });
    const sendTime = Date.now();
    const { due, ...timing } = schedule(sendTime);
    const receipt = await producer.send({ topic, body: Buffer.from(`due in ${DELAY_MS} ms`), ...timing });

    const [message] = await receiveCount(consumer, 1, { timeoutMs: DELAY_MS + LATENESS_MS + 5000 });
    const receivedAt = Date.now();
    expect(message.messageId).toBe(receipt.messageId);
    expect(bodyText(message)).toBe(`due in ${DELAY_MS} ms`);
    expect(receivedAt).toBeGreaterThanOrEqual(due);
    expect(receivedAt - due).toBeLessThan(LATENESS_MS);
    expect(message.transportDeliveryTimestamp!.getTime() - sendTime).toBeGreaterThanOrEqual(DELAY_MS);
    expect(Math.abs(message.deliveryTimestamp!.getTime() - due)).toBeLessThan(1000);
  });

  it('a recalled delay message is never delivered, while one due at the same time is', async () => {
    const producer = await clients.producer({ topics: [topics.recall] });
    const consumer = await clients.simpleConsumer(`${topics.recall}-g`, { [topics.recall]: '*' });
    const recalled = await producer.send({ topic: topics.recall, body: Buffer.from('recalled'), delay: DELAY_MS });
    const kept = await producer.send({ topic: topics.recall, body: Buffer.from('kept'), delay: DELAY_MS });
    expect(recalled.recallHandle).toBeTruthy();

    const recall = await producer.recallMessage(topics.recall, recalled.recallHandle);
    expect(recall.messageId).toBe(recalled.messageId);

    const delivered = await receiveDuring(consumer, DELAY_MS + LATENESS_MS + 2000);
    expect(delivered.map((message) => message.messageId)).toEqual([kept.messageId]);
  });
});
