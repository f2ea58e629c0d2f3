import { ConsumeResult, type MessageView } from 'rocketmq-client-nodejs';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { bodyText, sendAll } from './support/messaging';
import { TestTopology } from './support/names';
import { waitFor } from './support/wait-for';

const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'push');
const group = topology.group('push-group');
// Push consumers are told the broker's maximum long polling; a short one keeps PushConsumer.shutdown() short.
const { clients, admin } = useBroker(topology.toConfig({ consumer: { maxLongPollingMs: 3000 } }));

describe('PushConsumer', () => {
  it('consumes every message through its listener, retries a failure, and the backlog drains to 0', async () => {
    const producer = await clients.producer({ topics: [topic] });
    const before = await sendAll(producer, Array.from({ length: 20 }, (_, i) => ({ topic, body: Buffer.from(i === 7 ? 'fail-once' : `before-${i}`) })));

    const deliveries: { messageId: string; attempt: number; body: string }[] = [];
    const succeeded = new Set<string>();
    await clients.pushConsumer(group, { [topic]: '*' }, {
      consume(message: MessageView) {
        const delivery = { messageId: message.messageId, attempt: message.deliveryAttempt ?? 0, body: bodyText(message) };
        deliveries.push(delivery);
        if (delivery.body === 'fail-once' && delivery.attempt === 1) return ConsumeResult.FAILURE;
        succeeded.add(message.messageId);
        return ConsumeResult.SUCCESS;
      },
    });
    const after = await sendAll(producer, Array.from({ length: 10 }, (_, i) => ({ topic, body: Buffer.from(`after-${i}`) })));
    const sent = [...before, ...after].map((receipt) => receipt.messageId);

    await waitFor(() => sent.every((id) => succeeded.has(id)), {
      timeoutMs: 45_000,
      message: `all ${sent.length} messages consumed (have ${succeeded.size})`,
    });
    const failOnce = deliveries.filter((delivery) => delivery.body === 'fail-once').map((delivery) => delivery.attempt);
    expect(failOnce.slice(0, 2)).toEqual([1, 2]);

    const drained = await waitFor(async () => {
      const state = await admin.groupTopic(group, topic);
      return state.backlog === 0 && state.inflight === 0 && state;
    }, { timeoutMs: 15_000, message: `GET /groups/${group} backlog 0` });
    expect(drained.acked).toBeGreaterThanOrEqual(sent.length);
  });
});
