import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern, RocketMQRecordBuilder } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

interface OrderPlaced {
  orderId: string;
  lines: { sku: string; quantity: number }[];
  total: number;
}

interface Seen {
  order: OrderPlaced;
  topic: string;
  tag: string | undefined;
  keys: string[];
  messageGroup: string | undefined;
  attempt: number;
  properties: Record<string, string>;
  group: string;
}

const topic = unique('handlers-orders');
const billing = unique('handlers-billing');
const shipping = unique('handlers-shipping');
const seen: { billing: Seen[]; shipping: Seen[] } = { billing: [], shipping: [] };

function record(order: OrderPlaced, context: RocketMQContext): Seen {
  return {
    order,
    topic: context.getTopic(),
    tag: context.getTag(),
    keys: context.getKeys(),
    messageGroup: context.getMessageGroup(),
    attempt: context.getDeliveryAttempt(),
    properties: Object.fromEntries(context.getProperties()),
    group: context.getConsumerGroup(),
  };
}

class OrderHandlers {
  bill(order: OrderPlaced, context: RocketMQContext): void {
    seen.billing.push(record(order, context));
  }

  ship(order: OrderPlaced, context: RocketMQContext): void {
    seen.shipping.push(record(order, context));
  }
}
decorate(OrderHandlers, Controller(), {
  bill: handler(RocketMQEventPattern(topic, { group: billing })),
  ship: handler(RocketMQEventPattern(topic, { group: shipping })),
});

class DuplicateGroupHandlers {
  first(): void {}
  second(): void {}
}
decorate(DuplicateGroupHandlers, Controller(), { first: RocketMQEventPattern(topic, { group: billing }), second: RocketMQEventPattern(topic, { group: billing }) });

const broker = useBroker({ topics: [{ name: topic, type: 'MIXED' }] });
const apps = useApps(broker);

const order = (n: number): OrderPlaced => ({ orderId: `o-${n}`, lines: [{ sku: `sku-${n}`, quantity: n }], total: n * 9.5 });

describe('event handlers', () => {
  it('get the typed JSON payload and a context with every message field, once per consumer group', async () => {
    await apps.server(moduleOf({ controllers: [OrderHandlers] }));
    const client = await apps.client();
    const placed = new RocketMQRecordBuilder(order(1)).setTag('PLACED').setKeys('o-1', 'user-7').setMessageGroup('user-7').setProperties({ region: 'eu' }).build();
    await client.publishMessage(topic, placed.data, placed.options);
    for (let n = 2; n <= 5; n++) await client.publishMessage(topic, order(n));

    await waitFor(() => seen.billing.length >= 5 && seen.shipping.length >= 5, { message: '5 orders in both groups' });
    for (const [group, list] of [[billing, seen.billing], [shipping, seen.shipping]] as const) {
      expect(list.map((s) => s.order.orderId).sort()).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5']);
      const first = list.find((s) => s.order.orderId === 'o-1');
      expect(first).toMatchObject({
        order: order(1),
        topic,
        tag: 'PLACED',
        keys: ['o-1', 'user-7'],
        messageGroup: 'user-7',
        attempt: 1,
        properties: expect.objectContaining({ region: 'eu', 'content-type': 'application/json' }),
        group,
      });
    }
  });

  it('refuses to listen when two handlers consume one topic as the same group', async () => {
    await expect(apps.server(moduleOf({ controllers: [DuplicateGroupHandlers] }))).rejects.toThrow(`two handlers consume ${topic} as group ${billing}`);
  });
});
