import { Controller } from '@nestjs/common';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topic = unique('auth-orders');
const group = unique('auth-g');
const credentials = { accessKey: 'shop', secretKey: 'shop-secret' };
const received: number[] = [];

class Orders {
  take(order: { id: number }): void {
    received.push(order.id);
  }
}
decorate(Orders, Controller(), { take: handler(RocketMQEventPattern(topic, { group })) });

const broker = useBroker({ topics: [{ name: topic }], auth: { credentials: [credentials] } });
const apps = useApps(broker);

describe('AK/SK on the batched data plane', () => {
  it('signs batched sends, receives and acks with the client credentials', async () => {
    await apps.server(moduleOf({ controllers: [Orders] }), { credentials });
    const client = await apps.client({ credentials });
    await Promise.all([1, 2, 3].map((id) => client.publishMessage(topic, { id })));
    await waitFor(() => received.length === 3, { message: 'the 3 orders' });
    await waitFor(async () => (await broker.admin.groupTopic(group, topic)).acked === 3, { message: 'the 3 acks' });
    expect(received.sort()).toEqual([1, 2, 3]);
  });

  it('refuses a publish signed with the wrong secret', async () => {
    const client = await apps.client({ credentials, startupTimeoutMs: 10_000 });
    const connecting = apps.client({ credentials: { ...credentials, secretKey: 'wrong' }, startupTimeoutMs: 2000 });
    // Start-up already asks for a route, which the broker refuses; if it ever got through, the publish must fail.
    const impostor = await connecting.catch((error: Error) => error);
    if (impostor instanceof Error) expect(impostor.message).toMatch(/unauthori|signature|credential|40100/i);
    else await expect(impostor.publishMessage(topic, { id: 4 })).rejects.toThrow();
    await expect(client.publishMessage(topic, { id: 5 })).resolves.toHaveProperty('messageId');
  });
});
