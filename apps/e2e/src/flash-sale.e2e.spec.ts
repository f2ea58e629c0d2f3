import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { AdminClient, FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';
import { queryRows } from './support/postgres-query';

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
    services: [
      { app: 'inventory', env: { INVENTORY_PURCHASE_RATE: String(RATE), INVENTORY_PURCHASE_CONCURRENCY: '4' } },
      // The spike below asserts every answer; shedding by time (a unit test's subject) must not turn one into a 503 on a busy machine.
      { app: 'order', env: { FLASH_SALE_QUEUE_BUDGET_MS: '60000' } },
    ],
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
  it(`sells exactly ${STOCK} of ${USERS + REPEATS} requests, one per user, admits no more than the stock, and drains the backlog`, async () => {
    expect((await requestJson('PUT', inventory(`/products/${SKU}/stock`), { stock: STOCK })).status).toBe(200);
    await waitFor(async () => (await getJson<{ available: number | null }>(order(`/sold-out-gate/${SKU}`))).available === STOCK, { message: 'the gate to hear the stock' });
    const users = Array.from({ length: USERS }, () => randomUUID());
    const attempts = [...users, ...users.slice(0, REPEATS)].sort(() => Math.random() - 0.5);

    // Slowed so the backlog builds up while the spike is admitted.
    expect((await requestJson('PUT', inventory('/faults'), { slowdownMs: 200 })).status).toBe(200);
    const backlog = watchBacklog();
    const answers = await Promise.all(
      attempts.map((userId) =>
        requestJson<{ requestId: string; status: string; statusUrl: string; reason?: string }>('POST', order(`/flash-sales/${SALE}/purchases`), { userId, sku: SKU }),
      ),
    );
    expect((await requestJson('PUT', inventory('/faults'), { slowdownMs: 0 })).status).toBe(200);
    const accepted = answers.filter((answer) => answer.status === 202).map((answer) => answer.body);
    const unexpected = answers.filter((answer) => answer.status !== 202 && answer.status !== 409);
    expect(unexpected, JSON.stringify(unexpected.slice(0, 3))).toEqual([]);
    // The replica counts its own admissions against the stock it heard of (ADR 0020): the rest is refused at the door.
    expect(accepted).toHaveLength(STOCK);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(USERS + REPEATS - STOCK);
    expect(refused.every((answer) => answer.body.reason === 'sold-out' || answer.body.reason === 'already-purchased')).toBe(true);
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

    expect(stats).toMatchObject({ accepted: STOCK, pending: 0, confirmed: STOCK, rejected: 0 });
    expect(peakBacklog).toBeGreaterThan(0);
    expect((await getJson<{ stock: number }>(inventory(`/products/${SKU}`))).stock).toBe(0);
    expect(await getJson(inventory('/stats'))).toMatchObject({ reserved: STOCK });

    const outcomes = await Promise.all(accepted.map((purchase) => getJson<{ status: string; reason?: string }>(order(purchase.statusUrl))));
    expect(outcomes.filter((outcome) => outcome.status === 'CONFIRMED')).toHaveLength(STOCK);
  });

  it('refuses purchases of the sold-out SKU at the gate, touching neither Postgres nor the broker', async () => {
    const sale = 'sale-after-sell-out';
    // The reservation that took the last unit announced it (stock-levels, broadcast) to this replica.
    await waitFor(async () => (await getJson<{ available: number | null }>(order(`/sold-out-gate/${SKU}`))).available === 0, { message: 'the gate to learn the sell-out' });
    const rows = async () => (await queryRows<{ n: number }>(stack.database.url, 'SELECT count(*)::int AS n FROM "order".purchases WHERE sale_id = $1', [sale]))[0].n;
    const published = async () => {
      const state = await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic);
      return state.backlog + state.inflight + state.retrying + state.acked;
    };
    const messagesBefore = await published();

    const answers = await Promise.all(
      Array.from({ length: 200 }, () => requestJson<{ reason: string }>('POST', order(`/flash-sales/${sale}/purchases`), { userId: randomUUID(), sku: SKU })),
    );

    expect(answers.map((answer) => [answer.status, answer.body.reason])).toEqual(Array.from({ length: 200 }, () => [409, 'sold-out']));
    expect(await rows()).toBe(0);
    expect(await published()).toBe(messagesBefore);
    expect(await getJson(order(`/flash-sales/${sale}/stats`))).toEqual({ accepted: 0, pending: 0, confirmed: 0, rejected: 0, refusedSoldOut: 200 });
  });

  it('reopens the sale when stock is set again; a repeat buyer is told so and gives the unit back', async () => {
    expect((await requestJson('PUT', inventory(`/products/${SKU}/stock`), { stock: 2 })).status).toBe(200);
    await waitFor(async () => (await getJson<{ available: number | null }>(order(`/sold-out-gate/${SKU}`))).available === 2, { message: 'the gate to reopen' });
    const buyer = randomUUID();
    const purchase = (userId: string) => requestJson<{ statusUrl: string; reason?: string }>('POST', order('/flash-sales/sale-restocked/purchases'), { userId, sku: SKU });
    const admitted = await purchase(buyer);
    expect(admitted.status).toBe(202);
    const again = await purchase(buyer);
    expect([again.status, again.body.reason]).toEqual([409, 'already-purchased']);
    expect((await getJson<{ available: number | null }>(order(`/sold-out-gate/${SKU}`))).available).toBe(1);
    expect((await purchase(randomUUID())).status).toBe(202);
    expect((await getJson<{ available: number | null }>(order(`/sold-out-gate/${SKU}`))).available).toBe(0);
    await waitFor(async () => (await getJson<{ status: string }>(order(admitted.body.statusUrl))).status === 'CONFIRMED', { timeoutMs: 30_000, message: 'the restocked purchase confirmed' });
  });

  it('answers 400 for integers beyond their column and for NUL characters', async () => {
    const purchase = (body: object, sale = SALE) => requestJson('POST', order(`/flash-sales/${encodeURIComponent(sale)}/purchases`), { userId: randomUUID(), sku: SKU, ...body });
    expect((await purchase({ quantity: 2_147_483_648 })).status).toBe(400);
    expect((await purchase({ sku: 'FLASH\u0000001' })).status).toBe(400);
    expect((await purchase({}, 'sale\u0000nul')).status).toBe(400);
    expect((await requestJson('PUT', inventory(`/products/${SKU}/stock`), { stock: 2_147_483_648 })).status).toBe(400);
    expect((await requestJson('GET', inventory('/products/FLASH%00001'))).status).toBe(400);
  });

  it('answers 400 for a bad purchase request and 404 for an unknown one', async () => {
    expect((await requestJson('POST', order(`/flash-sales/${SALE}/purchases`), { userId: 'nobody', sku: SKU })).status).toBe(400);
    expect((await requestJson('POST', order(`/flash-sales/${SALE}/purchases`), { userId: randomUUID(), sku: SKU, quantity: 0 })).status).toBe(400);
    expect((await requestJson('GET', order(`/purchases/${randomUUID()}`))).status).toBe(404);
    expect((await requestJson('GET', order('/purchases/not-a-uuid'))).status).toBe(400);
  });

  it('front door: answers what Express would for every shape of request it takes ahead of Express', async () => {
    await requestJson('PUT', inventory('/products/BOOK-MQ/stock'), { stock: 100 });
    const post = (path: string, body: string, contentType = 'application/json') => fetch(order(path), { method: 'POST', headers: { 'content-type': contentType }, body });
    const valid = JSON.stringify({ userId: randomUUID(), sku: 'BOOK-MQ' });
    // Express's matching: any case, a trailing slash, a query string; the answer names its trace.
    const admitted = await post('/Flash-Sales/sale-door/purchases/?from=e2e', valid);
    expect(admitted.status).toBe(202);
    expect(admitted.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect((await admitted.json()) as object).toMatchObject({ status: 'PENDING' });
    // A caller's traceparent is continued (ADR 0032: the front door opens the server span itself).
    const traced = await fetch(order('/flash-sales/sale-traced/purchases'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      body: JSON.stringify({ userId: randomUUID(), sku: 'BOOK-MQ' }),
    });
    expect([traced.status, traced.headers.get('x-trace-id')]).toEqual([202, '4bf92f3577b34da6a3ce929d0e0e4736']);
    // Not JSON at all, JSON that is not a purchase, and a body past Express's 100 KiB limit.
    const broken = await post('/flash-sales/sale-door/purchases', '{"userId":');
    expect([broken.status, ((await broken.json()) as { message: string }).message]).toEqual([400, expect.stringContaining('not valid JSON')]);
    const invalid = await post('/flash-sales/sale-door/purchases', JSON.stringify({ userId: 'nobody', sku: 'BOOK-MQ' }));
    expect([invalid.status, ((await invalid.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)]).toEqual([400, ['userId']]);
    expect((await post('/flash-sales/sale-door/purchases', JSON.stringify({ userId: randomUUID(), sku: 'BOOK-MQ', pad: 'x'.repeat(200_000) }))).status).toBe(413);
    // Another content type is Express's to answer (no body parsed: 400), and a repeat buyer gets Nest's 409.
    expect((await post('/flash-sales/sale-door/purchases', valid, 'text/plain')).status).toBe(400);
    const repeat = await post('/flash-sales/sale-door/purchases', valid);
    expect([repeat.status, ((await repeat.json()) as { reason: string }).reason]).toEqual([409, 'already-purchased']);
    expect(await getJson(order('/flash-sales/sale-door/stats'))).toMatchObject({ accepted: 1 });
  });
});
