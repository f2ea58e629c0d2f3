import { setTimeout as sleep } from 'node:timers/promises';
import { Controller } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { ClientRocketMQ, RocketMQEventPattern, RocketMQModule } from '@rocketmq-shop/rocketmq-transport';
import { RocketMQHealthIndicator } from '@rocketmq-shop/rocketmq-transport/health';
import { freePort, waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { forEachLimited } from './support/concurrency';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topic = unique('life-emails');
const group = unique('life-mailer');
/** How often each email id was handled to the end. */
const handled = new Map<number, number>();

class Mailer {
  async send(email: { id: number }): Promise<void> {
    await sleep(200); // simulated SMTP call, long enough to be cut by a shutdown
    handled.set(email.id, (handled.get(email.id) ?? 0) + 1);
  }
}
// A short invisible time: messages a stopping consumer did not handle come back within the test.
decorate(Mailer, Controller(), { send: handler(RocketMQEventPattern(topic, { group, concurrency: 4, invisibleDurationMs: 2000 })) });

const declaredTopics = Array.from({ length: 4 }, (_, i) => unique(`life-declared-${i}`));
const broker = useBroker({ topics: [{ name: topic }, ...declaredTopics.map((name) => ({ name }))] });
const apps = useApps(broker);

describe('lifecycle', () => {
  it('a server fails to start within startupTimeoutMs when no broker answers, naming the endpoint', async () => {
    const endpoints = `127.0.0.1:${await freePort()}`;
    await expect(apps.server(moduleOf({ controllers: [Mailer] }), { endpoints, startupTimeoutMs: 2000 })).rejects.toThrow(`against ${endpoints}`);
  });

  // Fails against 1.0.8: a Producer without topics resolves startup() without contacting the broker.
  it('a client fails to connect within startupTimeoutMs when no broker answers, naming the endpoint', async () => {
    const endpoints = `127.0.0.1:${await freePort()}`;
    await expect(apps.client({ endpoints, startupTimeoutMs: 2000 })).rejects.toThrow(`against ${endpoints}`);
  });

  it('loses no message when an app closes with handlers in flight: a later app handles the rest', async () => {
    const COUNT = 40;
    const first = await apps.server(moduleOf({ controllers: [Mailer] }));
    const client = await apps.client();
    await forEachLimited(Array.from({ length: COUNT }, (_, id) => id), 8, (id) => client.publishMessage(topic, { id }));
    await waitFor(() => handled.size >= 4, { message: 'the first emails' });
    await first.app.close();
    const handledByFirst = handled.size;
    expect(handledByFirst).toBeLessThan(COUNT);

    await apps.server(moduleOf({ controllers: [Mailer] }));
    await waitFor(() => handled.size === COUNT, { timeoutMs: 30_000, message: `all ${COUNT} emails` });
    const duplicates = [...handled.values()].reduce((sum, times) => sum + times - 1, 0);
    console.info(`graceful shutdown: ${handledByFirst} handled before close, ${duplicates} duplicate deliveries`);
    await waitFor(async () => (await broker.admin.groupTopic(group, topic)).backlog === 0, { message: 'an empty backlog' });
  });

  it('reports the producer and every subscription in health: down while the broker is gone, up again on its own once it is back', async () => {
    const health = moduleOf({
      imports: [TerminusModule, RocketMQModule.forRoot({ endpoints: broker.endpoint, requestTimeoutMs: 1000 })],
      controllers: [Mailer],
      providers: [RocketMQHealthIndicator],
    });
    const { app } = await apps.server(health);
    const indicator = app.get(RocketMQHealthIndicator);
    const subscription = `${topic} as ${group}`;
    expect(await indicator.isHealthy()).toEqual({ rocketmq: { status: 'up', producer: 'up', consumers: { [subscription]: 'up' } } });
    const unconnected = new RocketMQHealthIndicator(new ClientRocketMQ({ endpoints: broker.endpoint }), new HealthIndicatorService());
    expect((await unconnected.isHealthy()).rocketmq).toMatchObject({ status: 'down', producer: 'down: not connected' });

    await broker.kill();
    try {
      const down = await waitFor(
        async () => {
          const state = (await indicator.isHealthy()).rocketmq as { status: string; producer: string; consumers: Record<string, string> };
          return state.producer !== 'up' && state.consumers[subscription] !== 'up' ? state : undefined;
        },
        { timeoutMs: 20_000, message: 'health down for the producer and the subscription' },
      );
      expect(down.status).toBe('down');
      expect(down.consumers[subscription]).toMatch(/^down since /);
    } finally {
      await broker.restart();
    }
    // No publish, no restart of the app: the next checks find the broker back.
    await waitFor(async () => (await indicator.isHealthy()).rocketmq.status === 'up', { timeoutMs: 30_000, message: 'health up again' });
  });

  it('survives a broker crash: publishing works again once the broker is back', async () => {
    const client = await apps.client();
    await client.publishMessage(topic, { id: 10_000 });
    await broker.crashAndRestart();
    await waitFor(() => client.publishMessage(topic, { id: 10_001 }).then(() => true), { timeoutMs: 20_000, message: 'a publish after the restart' });
    // The official client's own channel may still be reconnecting; health catches up on its own.
    await waitFor(async () => (await client.health()).up, { timeoutMs: 20_000, message: 'health up after the restart' });
  });

  // 1.0.8 waits for the settings reply only after fetching every declared topic's route, and misses a reply that came first.
  it('a client that declares several topics starts promptly', async () => {
    const started = Date.now();
    const client = await apps.client({ topics: declaredTopics, startupTimeoutMs: 20_000 });
    await client.publishMessage(declaredTopics[3], { ok: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
