import { inventoryPurchasesGroup, orderStockResultsGroup, purchaseRequested, stockResult } from '@rocketmq-shop/contracts';
import { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { AdminClient, FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';

interface Order {
  orderId: string;
  status: string;
  version: number;
  reason?: string;
}
interface Product {
  sku: string;
  stock: number;
}
interface InventoryStats {
  reserved: number;
  rejected: number;
}

let stack: Stack;
let admin: AdminClient;
let producer: ClientRocketMQ;
const order = (path = '') => `${stack.url('order')}${path}`;
const inventory = (path = '') => `${stack.url('inventory')}${path}`;

beforeAll(async () => {
  stack = await Stack.start({ services: [{ app: 'inventory' }, { app: 'order' }], broker: FAST_TEST_SETTINGS });
  admin = new AdminClient(stack.broker);
  // Stands in for a misbehaving producer or a broker redelivery: publishes bodies the services have already seen.
  producer = new ClientRocketMQ({ endpoints: stack.broker.endpoint });
});

afterAll(async () => {
  await producer?.close();
  await stack?.stop();
});

async function placeOrder(items: { sku: string; quantity: number }[]): Promise<string> {
  const placed = await requestJson<{ orderId: string; status: string }>('POST', order('/orders'), { userId: randomUUID(), items });
  expect(placed.status).toBe(201);
  expect(placed.body.status).toBe('PENDING');
  return placed.body.orderId;
}

function settledOrder(orderId: string): Promise<Order> {
  return waitFor(
    async () => {
      const current = await getJson<Order>(order(`/orders/${orderId}`));
      return current.status === 'PENDING' ? undefined : current;
    },
    { timeoutMs: 30_000, message: `order ${orderId} confirmed or rejected` },
  );
}

const stockOf = async (sku: string) => (await getJson<Product>(inventory(`/products/${sku}`))).stock;

/** Waits until `group` has acknowledged `count` more messages of `topic` than `before`: the duplicate was consumed, not just sent. */
async function ackedAtLeast(group: string, topic: string, count: number): Promise<void> {
  await waitFor(async () => {
    const state = await admin.groupTopic(group, topic);
    return state.acked >= count && state.backlog === 0;
  }, { timeoutMs: 30_000, message: `${group} acknowledged ${count} ${topic} messages` });
}

describe('orders: transactional order-created, inventory reservation, lifecycle', () => {
  it('confirms an order in stock through the committed half message and takes the stock once', async () => {
    const before = await stockOf('MUG-CLASSIC');
    const orderId = await placeOrder([{ sku: 'MUG-CLASSIC', quantity: 2 }]);

    const confirmed = await settledOrder(orderId);
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(await stockOf('MUG-CLASSIC')).toBe(before - 2);
    // The half message was committed, not left for check-back.
    expect(await admin.halfMessages()).toEqual([]);

    const paid = await requestJson<Order>('POST', order(`/orders/${orderId}/pay`));
    expect(paid).toMatchObject({ status: 200, body: { status: 'PAID', version: 3 } });
    expect((await requestJson('POST', order(`/orders/${orderId}/pay`))).status).toBe(409);
    expect((await requestJson('POST', order(`/orders/${orderId}/cancel`))).status).toBe(409);
  });

  it('rejects an order that asks for more than is left, taking nothing from any line', async () => {
    const [books, headphones] = [await stockOf('BOOK-MQ'), await stockOf('HEADPHONES-X')];
    const orderId = await placeOrder([
      { sku: 'BOOK-MQ', quantity: 1 },
      { sku: 'HEADPHONES-X', quantity: headphones + 1 },
    ]);

    const rejected = await settledOrder(orderId);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.reason).toContain('out of stock: HEADPHONES-X');
    expect([await stockOf('BOOK-MQ'), await stockOf('HEADPHONES-X')]).toEqual([books, headphones]);
    // REJECTED is final.
    expect((await requestJson('POST', order(`/orders/${orderId}/cancel`))).status).toBe(409);
  });

  it('rejects an unknown SKU and answers 400/404 for bad input', async () => {
    const rejected = await settledOrder(await placeOrder([{ sku: 'NO-SUCH-SKU', quantity: 1 }]));
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: 'unknown sku NO-SUCH-SKU' });

    expect((await requestJson('POST', order('/orders'), { userId: 'not-a-uuid', items: [] })).status).toBe(400);
    expect((await requestJson('GET', order(`/orders/${randomUUID()}`))).status).toBe(404);
    expect((await requestJson('POST', order(`/orders/${randomUUID()}/pay`))).status).toBe(404);
  });

  it('cancels a confirmed order with a lifecycle version per transition, and inventory gives its stock back once', async () => {
    const before = await stockOf('TSHIRT-RED');
    const orderId = await placeOrder([{ sku: 'TSHIRT-RED', quantity: 3 }]);
    expect((await settledOrder(orderId)).status).toBe('CONFIRMED');
    expect(await stockOf('TSHIRT-RED')).toBe(before - 3);
    expect(await requestJson<Order>('POST', order(`/orders/${orderId}/cancel`))).toMatchObject({ status: 200, body: { status: 'CANCELLED', version: 3 } });
    expect((await requestJson('POST', order(`/orders/${orderId}/pay`))).status).toBe(409);

    await waitFor(async () => (await stockOf('TSHIRT-RED')) === before, { timeoutMs: 20_000, message: 'the cancelled order to give its stock back' });
    await ackedAtLeast('inventory-order-cancellations', 'order-lifecycle', 1);
    expect(await stockOf('TSHIRT-RED')).toBe(before);
  });

  it('ignores a stock result delivered again, even one that contradicts the first', async () => {
    const orderId = await placeOrder([{ sku: 'MUG-CLASSIC', quantity: 1 }]);
    const confirmed = await settledOrder(orderId);
    const acked = (await admin.groupTopic(orderStockResultsGroup.name, stockResult.topic)).acked;

    await producer.publishMessage(
      stockResult.topic,
      { requestId: orderId, kind: 'order', skus: ['MUG-CLASSIC'], status: 'REJECTED', reason: 'forged duplicate', decidedAt: new Date().toISOString() },
      { tag: 'REJECTED' },
    );
    await ackedAtLeast(orderStockResultsGroup.name, stockResult.topic, acked + 1);

    expect(await getJson<Order>(order(`/orders/${orderId}`))).toEqual(confirmed);
  });

  it('takes stock once for a purchase request delivered twice', async () => {
    const saleId = `dup-${randomUUID().slice(0, 8)}`;
    const userId = randomUUID();
    const before = await stockOf('TSHIRT-RED');
    const admitted = await requestJson<{ requestId: string }>('POST', order(`/flash-sales/${saleId}/purchases`), { userId, sku: 'TSHIRT-RED' });
    expect(admitted.status).toBe(202);
    const { requestId } = admitted.body;
    await waitFor(async () => (await getJson<{ status: string }>(order(`/purchases/${requestId}`))).status === 'CONFIRMED', {
      timeoutMs: 30_000,
      message: `purchase ${requestId} confirmed`,
    });
    const statsBefore = await getJson<InventoryStats>(inventory('/stats'));
    const acked = (await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic)).acked;

    await producer.publishMessage(purchaseRequested.topic, { requestId, saleId, sku: 'TSHIRT-RED', userId, quantity: 1, requestedAt: new Date().toISOString() });
    await ackedAtLeast(inventoryPurchasesGroup.name, purchaseRequested.topic, acked + 1);

    expect(await stockOf('TSHIRT-RED')).toBe(before - 1);
    expect(await getJson<InventoryStats>(inventory('/stats'))).toMatchObject({ reserved: statsBefore.reserved, rejected: statsBefore.rejected });
    expect(await getJson(order(`/flash-sales/${saleId}/stats`))).toMatchObject({ accepted: 1, pending: 0, confirmed: 1, rejected: 0 });
  });
});
