import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { AdminClient, FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from './support/http-json';
import { queryRows } from './support/postgres-query';

const SKU = 'BOOK-MQ';
const SWEEP_AFTER_MS = 1000;
const SWEEP_INTERVAL_MS = 300;

let stack: Stack;
let admin: AdminClient;

beforeAll(async () => {
  stack = await Stack.start({
    services: [
      { app: 'inventory', env: { INVENTORY_PURCHASE_RATE: '100' } },
      { app: 'order', env: { FLASH_SALE_SWEEP_AFTER_MS: String(SWEEP_AFTER_MS), FLASH_SALE_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) } },
    ],
    broker: FAST_TEST_SETTINGS,
  });
  admin = new AdminClient(stack.broker);
});

afterAll(() => stack?.stop());

describe('flash sale: purchases left pending by a crash', () => {
  it('republishes a purchase stored but never published, and inventory decides it once however often it comes', async () => {
    const stockBefore = (await getJson<{ stock: number }>(`${stack.url('inventory')}/products/${SKU}`)).stock;
    const requestId = randomUUID();
    // What a crash between the batched INSERT and the publish leaves behind: a PENDING row and no message.
    await queryRows(
      stack.database.url,
      `INSERT INTO "order".purchases (request_id, sale_id, user_id, sku, quantity, status, requested_at) VALUES ($1, 'sale-crashed', $2, $3, 1, 'PENDING', now() - interval '1 minute')`,
      [requestId, randomUUID(), SKU],
    );

    await waitFor(async () => (await getJson<{ status: string }>(`${stack.url('order')}/purchases/${requestId}`)).status === 'CONFIRMED', {
      timeoutMs: 30_000,
      message: 'the swept purchase confirmed',
    });
    // Sweeps that ran before the answer arrived published it again; all of them are consumed by now.
    await waitFor(async () => (await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic)).backlog === 0, { message: 'purchase backlog drained' });

    expect((await getJson<{ stock: number }>(`${stack.url('inventory')}/products/${SKU}`)).stock).toBe(stockBefore - 1);
    expect(await queryRows(stack.database.url, 'SELECT status FROM inventory.stock_decisions WHERE request_id = $1', [requestId])).toEqual([{ status: 'RESERVED' }]);
    expect((await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic)).acked).toBeGreaterThanOrEqual(1);
  });
});
