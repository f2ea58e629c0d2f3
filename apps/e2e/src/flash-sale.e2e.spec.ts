import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { AdminClient, FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';

const STOCK = 50;
const USERS = 300;
const REPEATS = 100; // users who try a second time
const RATE = 50;
const SALE = 'sale-e2e';
const SKU = 'FLASH-001';

let stack: Stack;
let admin: AdminClient;
const order = (path: string) => `${stack.url('order')}${path}`;
const inventory = (path: string) => `${stack.url('inventory')}${path}`;

beforeAll(async () => {
  stack = await Stack.start({
    services: [{ app: 'inventory', env: { INVENTORY_PURCHASE_RATE: String(RATE), INVENTORY_PURCHASE_CONCURRENCY: '4' } }, { app: 'order' }],
    broker: FAST_TEST_SETTINGS,
  });
  admin = new AdminClient(stack.broker);
});

afterAll(() => stack?.stop());

/** Samples the broker's backlog of the purchase intake until stopped; the peak proves the broker held the spike. */
function watchBacklog(): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      const { backlog } = await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic);
      peak = Math.max(peak, backlog);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await sampling;
      return peak;
    },
  };
}

describe('flash sale: peak shaving through purchase-requests', () => {
  it(`sells exactly ${STOCK} of ${USERS + REPEATS} requests, one per user, and drains the backlog`, async () => {
    expect((await requestJson('PUT', inventory(`/products/${SKU}/stock`), { stock: STOCK })).status).toBe(200);
    const users = Array.from({ length: USERS }, () => randomUUID());
    const attempts = [...users, ...users.slice(0, REPEATS)].sort(() => Math.random() - 0.5);

    const backlog = watchBacklog();
    const answers = await Promise.all(
      attempts.map((userId) => requestJson<{ requestId: string; status: string; statusUrl: string }>('POST', order(`/flash-sales/${SALE}/purchases`), { userId, sku: SKU })),
    );
    const accepted = answers.filter((answer) => answer.status === 202).map((answer) => answer.body);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(REPEATS);
    expect(accepted).toHaveLength(USERS);
    expect(accepted.every((purchase) => purchase.status === 'PENDING' && purchase.statusUrl === `/purchases/${purchase.requestId}`)).toBe(true);

    // Inventory takes at most RATE per second, so every accepted request is decided only after a few seconds.
    const stats = await waitFor(
      async () => {
        const current = await getJson<{ accepted: number; pending: number; confirmed: number; rejected: number }>(order(`/flash-sales/${SALE}/stats`));
        return current.pending === 0 ? current : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, message: 'every purchase decided' },
    );
    await waitFor(async () => (await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic)).backlog === 0, {
      timeoutMs: 30_000,
      message: 'purchase backlog drained',
    });
    const peakBacklog = await backlog.stop();

    expect(stats).toEqual({ accepted: USERS, pending: 0, confirmed: STOCK, rejected: USERS - STOCK });
    expect(peakBacklog).toBeGreaterThan(0);
    expect((await getJson<{ stock: number }>(inventory(`/products/${SKU}`))).stock).toBe(0);
    expect(await getJson(inventory('/stats'))).toMatchObject({ reserved: STOCK, rejected: USERS - STOCK });

    const outcomes = await Promise.all(accepted.map((purchase) => getJson<{ status: string; reason?: string }>(order(purchase.statusUrl))));
    expect(outcomes.filter((outcome) => outcome.status === 'CONFIRMED')).toHaveLength(STOCK);
    expect(outcomes.filter((outcome) => outcome.status === 'REJECTED').every((outcome) => outcome.reason?.startsWith(`out of stock: ${SKU}`))).toBe(true);
  });

  it('answers 400 for a bad purchase request and 404 for an unknown one', async () => {
    expect((await requestJson('POST', order(`/flash-sales/${SALE}/purchases`), { userId: 'nobody', sku: SKU })).status).toBe(400);
    expect((await requestJson('POST', order(`/flash-sales/${SALE}/purchases`), { userId: randomUUID(), sku: SKU, quantity: 0 })).status).toBe(400);
    expect((await requestJson('GET', order(`/purchases/${randomUUID()}`))).status).toBe(404);
    expect((await requestJson('GET', order('/purchases/not-a-uuid'))).status).toBe(400);
  });
});
