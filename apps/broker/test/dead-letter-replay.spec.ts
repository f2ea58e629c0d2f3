import { describe, expect, it } from 'vitest';
import { waitFor } from '@rocketmq-shop/testing';
import { useBroker } from './support/harness';
import { bodyText, receiveCount, receiveDuring } from './support/messaging';
import { TestTopology } from './support/names';

const MAX_ATTEMPTS = 2;
const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'replay');
const deletionTopic = topology.topic('NORMAL', 'deletion');
const failing = topology.group('replay-failing', { maxAttempts: MAX_ATTEMPTS });
const bystander = topology.group('replay-bystander');
const harness = useBroker(topology.toConfig());
const { clients, admin } = harness;

/** Drives one message of `failing` into its DLQ by never acknowledging it. */
async function deadLetterOne(body: string): Promise<string> {
  const producer = await clients.producer({ topics: [topic] });
  const { messageId } = await producer.send({ topic, body: Buffer.from(body) });
  const consumer = await clients.simpleConsumer(failing, { [topic]: '*' });
  await waitFor(
    async () => {
      await receiveDuring(consumer, 200, { ack: false, invisibleMs: 1000 });
      return (await admin.group(failing)).dlq >= 1;
    },
    { timeoutMs: 20_000, message: 'the message to reach the DLQ' },
  );
  return messageId;
}

describe('dead-letter replay and group deletion (admin API)', () => {
  it('hands a dead letter back to its own group only, with fresh attempts, and remembers it across a restart', async () => {
    const messageId = await deadLetterOne('second chance');
    const other = await clients.simpleConsumer(bystander, { [topic]: '*' });
    expect((await receiveCount(other, 1)).map((m) => m.messageId)).toEqual([messageId]);

    const replay = await admin.post<{ replayed: string[] }>(`/groups/${failing}/dlq/replay`, { messageIds: [messageId] });
    expect(replay.body.replayed).toEqual([messageId]);
    expect((await admin.group(failing)).dlq).toBe(0);

    const consumer = await clients.simpleConsumer(failing, { [topic]: '*' });
    const [again] = await receiveCount(consumer, 1, { ack: false });
    expect([again.messageId, bodyText(again), again.deliveryAttempt]).toEqual([messageId, 'second chance', 1]);
    await consumer.ack(again);
    expect(await receiveDuring(other, 1500)).toEqual([]);

    await harness.broker.stop();
    await harness.broker.restart();
    expect((await admin.group(failing)).dlq).toBe(0);
    expect((await admin.groupTopic(failing, topic)).backlog).toBe(0);
    expect((await admin.post<{ replayed: string[] }>(`/groups/${failing}/dlq/replay`, {})).body.replayed).toEqual([]);
  });

  it('refuses a replay body that is not a list of message ids', async () => {
    expect((await admin.post(`/groups/${failing}/dlq/replay`, { messageIds: 'all' })).status).toBe(400);
  });

  it('deletes a group with its progress, also after a restart', async () => {
    const group = topology.group('deleted');
    const producer = await clients.producer({ topics: [deletionTopic] });
    await producer.send({ topic: deletionTopic, body: Buffer.from('seen once') });
    const consumer = await clients.simpleConsumer(group, { [deletionTopic]: '*' });
    expect((await receiveCount(consumer, 1)).length).toBe(1);

    expect((await admin.delete(`/groups/${group}`)).status).toBe(204);
    expect((await admin.get(`/groups/${group}`)).status).toBe(404);
    expect((await admin.delete(`/groups/${group}`)).status).toBe(404);
    await harness.broker.stop();
    await harness.broker.restart();
    expect((await admin.get(`/groups/${group}`)).status).toBe(404);
  });
});
