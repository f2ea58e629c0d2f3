import { FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';

// The function-trigger scenario as the demo runs it: an order's OrderCreated notice reaches the
// trigger's demo function over HTTP, with no consumer of the shop's own in between.

interface FunctionEvent {
  msgId: string;
  topic: string;
  systemProperties: Record<string, string>;
  body: { eventType: string; orderId: string; customerId: string; items: { sku: string; quantity: number }[] };
}

let stack: Stack;
const triggerLines: string[] = [];

beforeAll(async () => {
  stack = await Stack.start({
    services: [{ app: 'order' }, { app: 'trigger', env: { TRIGGER_DEMO_FUNCTION: 'true', LOG_LEVEL: 'info' } }],
    broker: FAST_TEST_SETTINGS,
    onLine: (source, line) => {
      if (source === 'trigger') triggerLines.push(line);
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('function trigger', () => {
  it('POSTs every created order to the function, which logs MESSAGE RECEIVED with the order as JSON', async () => {
    const userId = randomUUID();
    const items = [{ sku: 'MUG-CLASSIC', quantity: 2 }];
    const placed = await requestJson<{ orderId: string }>('POST', `${stack.url('order')}/orders`, { userId, items });
    expect(placed.status).toBe(201);
    const { orderId } = placed.body;

    const event = await waitFor(
      async () => (await getJson<FunctionEvent[]>(`${stack.url('trigger')}/function/received`)).find((received) => received.body.orderId === orderId),
      { timeoutMs: 30_000, message: `order ${orderId} at the function` },
    );
    expect(event).toMatchObject({
      topic: 'message-processing',
      systemProperties: { TAGS: 'OrderCreated', KEYS: orderId, CONSUMER_GROUP: 'fc-message-processing' },
      body: { eventType: 'OrderCreated', orderId, customerId: userId, items },
    });
    await waitFor(() => triggerLines.some((line) => line.includes('Message Body:') && line.includes(orderId)), { message: 'the MESSAGE RECEIVED log of the order' });
    expect(triggerLines.some((line) => line.includes('===== MESSAGE RECEIVED ====='))).toBe(true);
  });
});
