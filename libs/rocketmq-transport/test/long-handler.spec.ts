import { setTimeout as sleep } from 'node:timers/promises';
import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { deadLetters } from './support/dead-letters';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

/** The broker's floor (fast test settings: minInvisibleMs 1000) plus a little. */
const INVISIBLE_MS = 1200;
const topic = unique('long-reports');
const group = unique('long-reports-g');
const deliveries: number[] = [];
let finished = 0;

class ReportBuilder {
  async build(_: unknown, context: RocketMQContext): Promise<void> {
    deliveries.push(context.getDeliveryAttempt());
    await sleep(3 * INVISIBLE_MS); // simulated work outliving the invisible time three times
    finished++;
  }
}
decorate(ReportBuilder, Controller(), { build: handler(RocketMQEventPattern(topic, { group, invisibleDurationMs: INVISIBLE_MS, maxAttempts: 2 })) });

const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

describe('long handlers', () => {
  it('keep their message invisible while they run: delivered exactly once', async () => {
    await apps.server(moduleOf({ controllers: [ReportBuilder] }));
    const client = await apps.client();
    await client.publishMessage(topic, { report: 'monthly' });

    await waitFor(async () => finished === 1 && (await broker.admin.groupTopic(group, topic)).acked === 1, {
      message: 'the report handled and acknowledged',
    });
    expect(deliveries).toEqual([1]);
    expect(await deadLetters(broker.admin, group)).toEqual([]);
  });
});
