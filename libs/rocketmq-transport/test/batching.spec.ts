import { Controller } from '@nestjs/common';
import { type RocketMQContext, RocketMQEventPattern, type RocketMQSendReceipt } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { sendRequests } from './support/broker-metrics';
import { forEachLimited } from './support/concurrency';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topics = { orders: unique('batch-orders'), rejects: unique('batch-rejects'), stale: unique('batch-stale'), shutdown: unique('batch-shutdown'), restart: unique('batch-restart') };
const group = unique('batch-g');

interface Event {
  id: number;
  pad?: string;
}

/** Per topic: message id of every handled event, by event id, and how often each was handled. */
const handled = new Map<string, Map<number, { messageId: string; times: number }>>();
const record = (event: Event, context: RocketMQContext) => {
  const byId = handled.get(context.getTopic()) ?? new Map<number, { messageId: string; times: number }>();
  handled.set(context.getTopic(), byId);
  const entry = byId.get(event.id) ?? { messageId: context.getMessageId(), times: 0 };
  entry.times++;
  byId.set(event.id, entry);
};
const handledOf = (topic: string) => handled.get(topic) ?? new Map<number, { messageId: string; times: number }>();

/** Event id whose ack goes out with the receipt handle its renewal replaced (a stale one). */
const STALE_ID = 3;
let staleHandleSet: () => void = () => undefined;
const staleHandleReady = new Promise<void>((resolve) => (staleHandleSet = resolve));

class Recorder {
  record(event: Event, context: RocketMQContext): void {
    record(event, context);
  }

  async staleOnce(event: Event, context: RocketMQContext): Promise<void> {
    if (event.id === STALE_ID && context.getDeliveryAttempt() === 1) {
      const message = context.getMessage();
      const original = message.receiptHandle;
      // The renewal at half the invisible time gives the message a new handle; the original is then stale.
      await waitFor(() => message.receiptHandle !== original, { timeoutMs: 5000, intervalMs: 20, message: 'the invisible time to be renewed' });
      message.receiptHandle = original;
      staleHandleSet();
    } else if (context.getDeliveryAttempt() === 1) {
      await staleHandleReady; // finish together, so that their acks share a request with the stale one
    }
    record(event, context);
  }
}
const on = (topic: string, extra: object = {}) => handler(RocketMQEventPattern(topic, { group, concurrency: 32, ...extra }));
decorate(Recorder, Controller(), { record: on(topics.orders), staleOnce: on(topics.stale, { invisibleDurationMs: 1000 }) });

class Others {
  rejects(event: Event, context: RocketMQContext): void {
    record(event, context);
  }

  shutdown(event: Event, context: RocketMQContext): void {
    record(event, context);
  }

  restart(event: Event, context: RocketMQContext): void {
    record(event, context);
  }
}
decorate(Others, Controller(), { rejects: on(topics.rejects), shutdown: on(topics.shutdown), restart: on(topics.restart) });

const broker = useBroker({ topics: Object.values(topics).map((name) => ({ name })) });
const apps = useApps(broker);
const ids = (count: number) => Array.from({ length: count }, (_, id) => id);

describe('batched publishing and acknowledging', () => {
  it('coalesces concurrent publishes into few requests, and every caller gets the id of its own message', async () => {
    await apps.server(moduleOf({ controllers: [Recorder] }));
    const client = await apps.client();
    const before = await sendRequests(broker.admin);
    const receipts = await Promise.all(ids(200).map((id) => client.publishMessage(topics.orders, { id })));
    const requests = (await sendRequests(broker.admin)) - before;
    expect(requests).toBeLessThanOrEqual(200 / 8);
    expect(new Set(receipts.map((receipt) => receipt.messageId)).size).toBe(200);

    await waitFor(() => handledOf(topics.orders).size === 200, { message: () => `200 handled, got ${handledOf(topics.orders).size}` });
    for (const [id, receipt] of receipts.entries()) expect(handledOf(topics.orders).get(id)?.messageId).toBe(receipt.messageId);
  });

  it('fails only the caller whose message the broker rejects, in a batch or alone', async () => {
    await apps.server(moduleOf({ controllers: [Others] }));
    const client = await apps.client();
    const tooManyProperties = Object.fromEntries(ids(200).map((i) => [`p${i}`, 'x']));
    const results = await Promise.allSettled(
      ids(20).map((id) => {
        if (id === 7) return client.publishMessage(topics.rejects, { id }, { properties: tooManyProperties });
        if (id === 13) return client.publishMessage(topics.rejects, { id, pad: 'x'.repeat(4 * 1024 * 1024) });
        return client.publishMessage(topics.rejects, { id });
      }),
    );
    const rejected = results.flatMap((result, id) => (result.status === 'rejected' ? [id] : []));
    expect(rejected).toEqual([7, 13]);
    expect(String((results[7] as PromiseRejectedResult).reason)).toMatch(/propert/i);
    expect(String((results[13] as PromiseRejectedResult).reason)).toMatch(/body size/i);

    await waitFor(() => handledOf(topics.rejects).size === 18, { message: () => `18 handled, got ${handledOf(topics.rejects).size}` });
    expect([...handledOf(topics.rejects).keys()].sort((a, b) => a - b)).toEqual(ids(20).filter((id) => id !== 7 && id !== 13));
  });

  it('a stale receipt handle fails only its own ack of the batch: that message comes back, the rest stay acknowledged', async () => {
    await apps.server(moduleOf({ controllers: [Recorder] }));
    const client = await apps.client();
    await Promise.all(ids(10).map((id) => client.publishMessage(topics.stale, { id })));

    await waitFor(() => handledOf(topics.stale).get(STALE_ID)?.times === 2, { message: 'the message with the stale handle to be delivered again' });
    await waitFor(async () => (await broker.admin.groupTopic(group, topics.stale)).acked === 10, { message: 'all 10 acknowledged' });
    expect(ids(10).map((id) => handledOf(topics.stale).get(id)?.times)).toEqual(ids(10).map((id) => (id === STALE_ID ? 2 : 1)));
  });

  it('close() sends the publishes still gathering and the acks still pending', async () => {
    const server = await apps.server(moduleOf({ controllers: [Others] }));
    const client = await apps.client({ batching: { lingerMs: 60_000, maxItems: 1000 } });
    const publishing = ids(10).map((id) => client.publishMessage(topics.shutdown, { id }));
    await client.close();
    const receipts = await Promise.all(publishing);
    expect(receipts).toHaveLength(10);

    await waitFor(() => handledOf(topics.shutdown).size === 10, { message: 'the 10 published at close to be handled' });
    await server.app.close();
    const state = await broker.admin.groupTopic(group, topics.shutdown);
    expect([state.acked, state.inflight]).toEqual([10, 0]);
  });

  it('loses no acknowledged publish when the broker crashes and restarts mid-batch', async () => {
    await apps.server(moduleOf({ controllers: [Others] }));
    const client = await apps.client();
    const acknowledged = new Map<number, RocketMQSendReceipt>();
    let failed = 0;
    let crash: Promise<void> | undefined;
    await forEachLimited(ids(600), 64, async (id) => {
      if (id === 200) crash = broker.crashAndRestart();
      try {
        acknowledged.set(id, await client.publishMessage(topics.restart, { id }));
      } catch {
        failed++; // unacknowledged: the caller knows it may be lost
      }
    });
    await crash;
    expect(acknowledged.size).toBeGreaterThan(200);

    await waitFor(() => [...acknowledged.keys()].every((id) => handledOf(topics.restart).has(id)), {
      timeoutMs: 30_000,
      message: () => `all ${acknowledged.size} acknowledged publishes handled (${failed} failed), got ${[...acknowledged.keys()].filter((id) => handledOf(topics.restart).has(id)).length}`,
    });
    for (const [id, receipt] of acknowledged) expect(handledOf(topics.restart).get(id)?.messageId).toBe(receipt.messageId);
  });
});
