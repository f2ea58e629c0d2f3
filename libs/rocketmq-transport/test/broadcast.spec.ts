import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topic = unique('bcast-prices');
const group = unique('bcast-cache');
const COUNT = 10;
/** Per consumer group, the prices it received. */
const received = new Map<string, number[]>();

class PriceCache {
  update(price: { sku: number }, context: RocketMQContext): void {
    received.set(context.getConsumerGroup(), [...(received.get(context.getConsumerGroup()) ?? []), price.sku]);
  }
}
decorate(PriceCache, Controller(), { update: handler(RocketMQEventPattern(topic, { group, broadcast: true })) });

const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

describe('broadcast', () => {
  it('delivers every message to every instance, each consuming as <group>-<instanceId>', async () => {
    const instances = ['node-a', 'node-b'];
    for (const instanceId of instances) await apps.server(moduleOf({ controllers: [PriceCache] }), { instanceId });
    const client = await apps.client();
    for (let sku = 1; sku <= COUNT; sku++) await client.publishMessage(topic, { sku });

    const groups = instances.map((instanceId) => `${group}-${instanceId}`);
    await waitFor(() => groups.every((g) => (received.get(g)?.length ?? 0) >= COUNT), { message: `${COUNT} prices in both instances` });
    expect([...received.keys()].sort()).toEqual(groups);
    const all = Array.from({ length: COUNT }, (_, i) => i + 1);
    for (const g of groups) expect(received.get(g)?.sort((a, b) => a - b)).toEqual(all);
  });
});
