import { setTimeout as sleep } from 'node:timers/promises';
import { Controller } from '@nestjs/common';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { type GroupTopicState, waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { forEachLimited, InFlightGauge } from './support/concurrency';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topics = { slow: unique('flow-slow'), rated: unique('flow-rated') };
const groups = { slow: unique('flow-slow-g'), rated: unique('flow-rated-g') };
const RATE = 20;
const CONCURRENCY = 3;
const gauge = new InFlightGauge();
let slowDone = 0;
const rateStarts: number[] = [];

class Workers {
  /** Simulated work of 100 ms, so that messages pile up behind the concurrency limit. */
  async slow(): Promise<void> {
    await gauge.track(() => sleep(100));
    slowDone++;
  }

  rated(): void {
    rateStarts.push(Date.now());
  }
}
decorate(Workers, Controller(), {
  slow: handler(RocketMQEventPattern(topics.slow, { group: groups.slow, concurrency: CONCURRENCY })),
  rated: handler(RocketMQEventPattern(topics.rated, { group: groups.rated, maxRatePerSecond: RATE })),
});

const broker = useBroker({ topics: Object.values(topics).map((name) => ({ name })) });
const apps = useApps(broker);

async function publish(topic: string, count: number): Promise<void> {
  const client = await apps.client();
  await forEachLimited(Array.from({ length: count }, (_, i) => i), 16, (i) => client.publishMessage(topic, { i }));
}

/** The most starts within any window of `windowMs` beginning at a recorded start. */
function maxStartsPerWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

describe('flow control', () => {
  it(`runs at most ${CONCURRENCY} handlers at once and leaves the rest of the backlog in the broker`, async () => {
    const COUNT = 30;
    await publish(topics.slow, COUNT);
    await apps.server(moduleOf({ controllers: [Workers] }));
    const samples: GroupTopicState[] = [];
    await waitFor(
      async () => {
        samples.push(await broker.admin.groupTopic(groups.slow, topics.slow));
        return slowDone >= COUNT;
      },
      { intervalMs: 50, message: `${COUNT} slow messages` },
    );
    expect(gauge.max).toBe(CONCURRENCY);
    expect(samples.some((s) => s.backlog - s.inflight >= COUNT / 2)).toBe(true);
    // A handler's slot is free once its ack is queued (ADR 0025): the next receive may reach the broker
    // before that batched ack, so the broker counts at most one acknowledged message per slot as well.
    expect(Math.max(...samples.map((s) => s.inflight))).toBeLessThanOrEqual(2 * CONCURRENCY);
  });

  it(`starts at most ~${RATE} handlers in any second with maxRatePerSecond ${RATE}`, async () => {
    const COUNT = 3 * RATE;
    await publish(topics.rated, COUNT);
    await apps.server(moduleOf({ controllers: [Workers] }));
    let backlogSeen = 0;
    await waitFor(
      async () => {
        const state = await broker.admin.groupTopic(groups.rated, topics.rated);
        backlogSeen = Math.max(backlogSeen, state.backlog - state.inflight);
        return rateStarts.length >= COUNT;
      },
      { message: `${COUNT} rate-limited messages` },
    );
    // Token bucket of one second: a full window may see the rate plus the token left over at its start.
    expect(maxStartsPerWindow(rateStarts, 1000)).toBeLessThanOrEqual(RATE + 2);
    expect(backlogSeen).toBeGreaterThan(0);
  });
});
