import { Controller } from '@nestjs/common';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { forEachLimited } from './support/concurrency';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topic = unique('pause');
const group = unique('pause-g');
const handled: number[] = [];

class Worker {
  take(data: { i: number }): void {
    handled.push(data.i);
  }
}
decorate(Worker, Controller(), { take: handler(RocketMQEventPattern(topic, { group })) });

const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

async function publish(from: number, count: number): Promise<void> {
  const client = await apps.client();
  await forEachLimited(Array.from({ length: count }, (_, i) => from + i), 16, (i) => client.publishMessage(topic, { i }));
}

describe('pausing and resuming a consumer group', () => {
  it('leaves what is published while paused in the broker, handles none of it, and drains it once resumed', async () => {
    const { server } = await apps.server(moduleOf({ controllers: [Worker] }));
    await publish(0, 5);
    await waitFor(() => handled.length === 5, { message: '5 messages before pausing' });

    await server.pauseConsumption(group);
    expect(server.isConsumptionPaused(group)).toBe(true);
    const COUNT = 20;
    await publish(5, COUNT);
    // A long poll under way when the pause began may take some and hand them back: they count as backlog again.
    await waitFor(async () => (await broker.admin.groupTopic(group, topic)).backlog === COUNT, { message: () => `a backlog of ${COUNT}` });
    const paused = await broker.admin.groupTopic(group, topic);
    expect(paused).toMatchObject({ backlog: COUNT, acked: 5 });
    expect(handled).toHaveLength(5);

    server.resumeConsumption(group);
    expect(server.isConsumptionPaused(group)).toBe(false);
    await waitFor(async () => (await broker.admin.groupTopic(group, topic)).backlog === 0, { message: 'the backlog to drain' });
    expect([...handled].sort((a, b) => a - b)).toEqual(Array.from({ length: 5 + COUNT }, (_, i) => i));
  });

  it('refuses a group the server does not consume', async () => {
    const { server } = await apps.server(moduleOf({ controllers: [Worker] }));
    await expect(server.pauseConsumption('no-such-group')).rejects.toThrow(/consumes nothing as group no-such-group/);
    expect(() => server.resumeConsumption('no-such-group')).toThrow(/no-such-group/);
  });
});
