import { ConsumeResult, type MessageView } from 'rocketmq-client-nodejs';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { bodyText, sendAll } from './support/messaging';
import { TestTopology } from './support/names';
import { waitFor } from '@rocketmq-shop/testing';

const topology = new TestTopology();
const topics = {
  standard: topology.topic('NORMAL', 'push'),
  fifoDefaultRetry: topology.topic('FIFO', 'push-fifo-default'),
  fifoExponentialRetry: topology.topic('FIFO', 'push-fifo-exponential'),
  poison: topology.topic('NORMAL', 'push-poison'),
};
const groups = {
  standard: topology.group('push-group'),
  fifoDefaultRetry: topology.group('push-fifo-default', { fifo: true }),
  fifoExponentialRetry: topology.group('push-fifo-exponential', {
    fifo: true,
    retryPolicy: { type: 'exponential', initialMs: 1000, maxMs: 10_000, multiplier: 2 },
  }),
  poison: topology.group('push-poison', { maxAttempts: 3 }),
};
// Push consumers are told the broker's maximum long polling; a short one keeps PushConsumer.shutdown() short.
const { clients, admin } = useBroker(topology.toConfig({ consumer: { maxLongPollingMs: 3000 } }));

interface Delivery {
  messageId: string;
  attempt: number;
  body: string;
}

function record(deliveries: Delivery[], message: MessageView): Delivery {
  const delivery = { messageId: message.messageId, attempt: message.deliveryAttempt ?? 0, body: bodyText(message) };
  deliveries.push(delivery);
  return delivery;
}

async function backlogDrained(group: string, topic: string) {
  return waitFor(async () => {
    const state = await admin.groupTopic(group, topic);
    return state.backlog === 0 && state.inflight === 0 && state;
  }, { timeoutMs: 15_000, message: `GET /groups/${group} backlog 0 on ${topic}` });
}

describe('PushConsumer', () => {
  it('consumes every message through its listener, retries a failure, and the backlog drains to 0', async () => {
    const topic = topics.standard;
    const producer = await clients.producer({ topics: [topic] });
    const before = await sendAll(producer, Array.from({ length: 20 }, (_, i) => ({ topic, body: Buffer.from(i === 7 ? 'fail-once' : `before-${i}`) })));

    const deliveries: Delivery[] = [];
    const succeeded = new Set<string>();
    await clients.pushConsumer(groups.standard, { [topic]: '*' }, {
      consume(message: MessageView) {
        const delivery = record(deliveries, message);
        if (delivery.body === 'fail-once' && delivery.attempt === 1) return ConsumeResult.FAILURE;
        succeeded.add(message.messageId);
        return ConsumeResult.SUCCESS;
      },
    });
    const after = await sendAll(producer, Array.from({ length: 10 }, (_, i) => ({ topic, body: Buffer.from(`after-${i}`) })));
    const sent = [...before, ...after].map((receipt) => receipt.messageId);

    await waitFor(() => sent.every((id) => succeeded.has(id)), {
      timeoutMs: 45_000,
      message: () => `all ${sent.length} messages consumed (have ${succeeded.size})`,
    });
    const failOnce = deliveries.filter((delivery) => delivery.body === 'fail-once').map((delivery) => delivery.attempt);
    expect(failOnce.slice(0, 2)).toEqual([1, 2]);
    expect((await backlogDrained(groups.standard, topic)).acked).toBeGreaterThanOrEqual(sent.length);
  });

  // With the default (customized) retry policy the settings must still let 1.0.8 retry FIFO messages locally:
  // it ignores customized backoff and then dead-letters on the first failure (reference §1.2, §7.3).
  it.each([
    ['the default retry policy', topics.fifoDefaultRetry, groups.fifoDefaultRetry],
    ['an exponential retry policy', topics.fifoExponentialRetry, groups.fifoExponentialRetry],
  ])('FIFO with %s: a failed message is retried before its successors, and nothing is dead-lettered', async (_, topic, group) => {
    const messageGroups = ['user-a', 'user-b', 'user-c'];
    const producer = await clients.producer({ topics: [topic] });
    for (let seq = 0; seq < 5; seq++) {
      await sendAll(producer, messageGroups.map((messageGroup) => ({ topic, messageGroup, body: Buffer.from(`${messageGroup}#${seq}`) })));
    }

    const deliveries: Delivery[] = [];
    const processed = new Map<string, string[]>(messageGroups.map((messageGroup) => [messageGroup, []]));
    await clients.pushConsumer(group, { [topic]: '*' }, {
      consume(message: MessageView) {
        const delivery = record(deliveries, message);
        if (delivery.body === 'user-b#2' && delivery.attempt === 1) return ConsumeResult.FAILURE;
        processed.get(message.messageGroup!)!.push(delivery.body);
        return ConsumeResult.SUCCESS;
      },
    });

    await waitFor(() => [...processed.values()].every((bodies) => bodies.length >= 5), {
      timeoutMs: 30_000,
      message: () => `five messages processed per message group (have ${JSON.stringify([...processed])})`,
    });
    for (const messageGroup of messageGroups) {
      expect(processed.get(messageGroup), messageGroup).toEqual([0, 1, 2, 3, 4].map((seq) => `${messageGroup}#${seq}`));
    }
    expect(deliveries.filter((delivery) => delivery.body === 'user-b#2').map((delivery) => delivery.attempt)).toEqual([1, 2]);
    await backlogDrained(group, topic);
    expect((await admin.group(group)).dlq).toBe(0);
  });

  // Its retries come through ChangeInvisibleDuration while its next receive is parked: the broker wakes that receive.
  it('a message that always fails is dead-lettered after 3 attempts within seconds, not after long polls', async () => {
    const topic = topics.poison;
    const producer = await clients.producer({ topics: [topic] });
    const [poison] = await sendAll(producer, [{ topic, body: Buffer.from('poison') }]);
    const attempts: number[] = [];
    const startedAt = Date.now();
    await clients.pushConsumer(groups.poison, { [topic]: '*' }, {
      consume(message: MessageView) {
        attempts.push(message.deliveryAttempt ?? 0);
        return ConsumeResult.FAILURE;
      },
    });
    await waitFor(async () => (await admin.group(groups.poison)).dlq === 1, { timeoutMs: 20_000, message: () => `one dead letter (attempts so far ${attempts})` });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(attempts).toEqual([1, 2, 3]);
    const listing = await admin.get(`/groups/${encodeURIComponent(groups.poison)}/dlq`);
    expect(listing.text).toContain(poison.messageId);
  });
});
