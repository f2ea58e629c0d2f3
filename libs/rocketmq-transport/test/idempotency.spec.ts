import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { consumeOnce } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { waitFor } from '@rocketmq-shop/testing';
import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';
import { usePostgres } from './support/postgres';
import { rawSimpleConsumer } from './support/raw-client';

interface OrderPaid {
  orderId: string;
}

const topic = unique('idem-paid');
const group = unique('idem-shipping');
const outcomes: { attempt: number; duplicate: boolean }[] = [];
const postgres = usePostgres('shipping', ['CREATE TABLE shipments (order_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())']);

/** The side effect: one shipment row (deliberately without a unique key, so only consumeOnce prevents doubles). */
const ship = (manager: EntityManager, order: OrderPaid) => manager.query('INSERT INTO shipments (order_id) VALUES ($1)', [order.orderId]);

class Shipping {
  async onPaid(order: OrderPaid, context: RocketMQContext): Promise<void> {
    const outcome = await consumeOnce(postgres.dataSource, context.getConsumerGroup(), context.getMessageId(), (manager) => ship(manager, order));
    outcomes.push({ attempt: context.getDeliveryAttempt(), duplicate: outcome.duplicate });
  }
}
decorate(Shipping, Controller(), { onPaid: handler(RocketMQEventPattern(topic, { group })) });

const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

describe('idempotent consumption', () => {
  it('runs the side effect once when the broker redelivers a message whose first consumer committed but never acked', async () => {
    // The first consumer of the group: it processes the message (row and record committed), then "crashes" before the ack.
    const crashed = await rawSimpleConsumer(broker.endpoint, group, topic);
    const client = await apps.client();
    const { messageId } = await client.publishMessage(topic, { orderId: 'o-42' } satisfies OrderPaid);
    const message = await waitFor(async () => (await crashed.receive(1, 1000))[0], { message: 'the first delivery' });
    expect(message.messageId).toBe(messageId);
    const first = await consumeOnce(postgres.dataSource, group, message.messageId, (manager) => ship(manager, JSON.parse(message.body.toString()) as OrderPaid));
    expect(first.duplicate).toBe(false);
    await crashed.shutdown();

    // The transport's handler gets the redelivery once the invisible time of the unacked delivery ends.
    await apps.server(moduleOf({ controllers: [Shipping] }));
    await waitFor(async () => outcomes.length === 1 && (await broker.admin.groupTopic(group, topic)).backlog === 0, {
      message: 'the redelivery handled and acknowledged',
    });
    expect(outcomes).toEqual([{ attempt: 2, duplicate: true }]);
    expect(await postgres.dataSource.query('SELECT order_id FROM shipments')).toEqual([{ order_id: 'o-42' }]);
    expect(await postgres.dataSource.query('SELECT consumer_group, message_key FROM processed_messages')).toEqual([{ consumer_group: group, message_key: messageId }]);
  });
});
