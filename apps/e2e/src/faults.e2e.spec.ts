import { inventoryOrdersGroup } from '@rocketmq-shop/contracts';
import { AdminClient, FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonResponse, getJson, requestJson } from './support/http-json';
import { queryRows } from './support/postgres-query';
import { newProfile } from './support/shop-users';

// The shop when its dependencies fail: Postgres restarted under traffic, the broker stopped, input a
// database can never store. Services answer 503 + Retry-After (never 500), none exits, nothing is lost.

const INT4_MAX = 2_147_483_647;
const SERVICES = ['registration', 'notification', 'order', 'inventory', 'price-cache'] as const;

let stack: Stack;
let admin: AdminClient;
const url = (service: string, path: string) => `${stack.url(service)}${path}`;

beforeAll(async () => {
  stack = await Stack.start({
    services: SERVICES.map((app) => ({ app, env: { LOG_LEVEL: 'warn', INVENTORY_PURCHASE_RATE: '500' } })),
    broker: FAST_TEST_SETTINGS,
    // Its own embedded Postgres, which the first test restarts.
    restartableDatabase: true,
  });
  admin = new AdminClient(stack.broker);
});

afterAll(() => stack?.stop());

function expectUnavailable(answer: JsonResponse<unknown>, what: string): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(503);
  expect(Number(answer.retryAfter), what).toBeGreaterThan(0);
  expect(answer.body, what).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
}

/** The last output of every service that is not running, for failure messages. */
function exitedOutput(): string {
  return stack.services.filter((service) => !service.isRunning).map((service) => `${service.name}:\n${service.output}`).join('\n');
}

/** Registrations and orders from a few concurrent clients until stopped; every answer is kept. */
function traffic(): { stop(): Promise<{ users: string[]; orders: string[]; statuses: number[]; unexpected: string[] }> } {
  const users: string[] = [];
  const orders: string[] = [];
  const statuses: number[] = [];
  const unexpected: string[] = [];
  const keep = (what: string, answer: JsonResponse<unknown>) => {
    statuses.push(answer.status);
    if (answer.status !== 201 && answer.status !== 503) unexpected.push(`${what} ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  let running = true;
  const client = async (id: number) => {
    for (let n = 0; running; n++) {
      const registration = await requestJson<{ userId: string }>('POST', url('registration', '/users'), newProfile(`restart-${id}-${n}`));
      keep('POST /users', registration);
      if (registration.status === 201) users.push(registration.body.userId);
      const placed = await requestJson<{ orderId: string }>('POST', url('order', '/orders'), { userId: randomUUID(), items: [{ sku: 'MUG-CLASSIC', quantity: 1 }] });
      keep('POST /orders', placed);
      if (placed.status === 201) orders.push(placed.body.orderId);
    }
  };
  const loop = Promise.all([1, 2, 3, 4].map(client));
  return {
    stop: async () => {
      running = false;
      await loop;
      return { users, orders, statuses, unexpected };
    },
  };
}

describe('faults: the shop answers 503 instead of failing, and loses nothing', () => {
  it('keeps every service running through a Postgres restart under traffic', async () => {
    const pids = stack.services.map((service) => service.pid);
    const load = traffic();
    await waitFor(async () => (await queryRows<{ n: number }>(stack.database.url, 'SELECT count(*)::int AS n FROM registration.users'))[0].n >= 5, { message: 'traffic before the restart' });

    await stack.database.restart!(3_000);
    // Traffic goes on until registrations and orders succeed again on the new server.
    const before = (await queryRows<{ n: number }>(stack.database.url, 'SELECT count(*)::int AS n FROM registration.users'))[0].n;
    await waitFor(async () => (await queryRows<{ n: number }>(stack.database.url, 'SELECT count(*)::int AS n FROM registration.users'))[0].n >= before + 5, {
      timeoutMs: 60_000,
      message: () => `registrations after the restart; ${stack.services.map((service) => `${service.name} ${service.isRunning ? 'running' : 'exited'}`).join(', ')}\n${exitedOutput()}`,
    });
    const { users, orders, statuses, unexpected } = await load.stop();

    expect(stack.services.filter((service) => !service.isRunning).map((service) => service.name), exitedOutput()).toEqual([]);
    expect(stack.services.map((service) => service.pid)).toEqual(pids);
    expect(unexpected, `answers other than 201 and 503:\n${stack.service('registration').output}\n${stack.service('order').output}`).toEqual([]);
    expect(statuses, 'requests that met the stopped server').toContain(503);
    // Every acknowledged registration was notified, and every acknowledged order decided: the outbox
    // relays and consumers came back by themselves.
    await waitFor(async () => (await getJson<{ email: { sent: number } }>(url('notification', '/stats'))).email.sent >= users.length, {
      timeoutMs: 60_000,
      message: `${users.length} welcome emails`,
    });
    await waitFor(
      async () => {
        const states = await Promise.all(orders.map(async (orderId) => (await getJson<{ status: string }>(url('order', `/orders/${orderId}`))).status));
        return states.every((state) => state === 'CONFIRMED' || state === 'REJECTED');
      },
      { timeoutMs: 60_000, message: `${orders.length} orders decided` },
    );
    await waitFor(async () => (await queryRows<{ n: number }>(stack.database.url, 'SELECT count(*)::int AS n FROM notification.contacts WHERE user_id = ANY($1)', [users]))[0].n === users.length, {
      timeoutMs: 60_000,
      message: `contacts of ${users.length} users (user-lifecycle through the outbox)`,
    });
  });

  it('answers 503 with Retry-After while the broker is stopped, reports it in /health, and loses nothing', async () => {
    const soldBefore = await requestJson<{ requestId: string; statusUrl: string }>('POST', url('order', '/flash-sales/broker-stop/purchases'), { userId: randomUUID(), sku: 'TSHIRT-RED' });
    expect(soldBefore.status).toBe(202);

    await stack.broker.stop();
    try {
      await waitFor(
        async () => {
          const answers = await Promise.all(SERVICES.map((service) => requestJson<{ details?: { broker?: { status: string } } }>('GET', url(service, '/health'))));
          return answers.every((answer) => answer.status === 503 && answer.body.details?.broker?.status === 'down');
        },
        { message: 'every /health to report the broker down' },
      );
      expectUnavailable(await requestJson('POST', url('registration', '/users'), newProfile('broker-down')), 'POST /users');
      expectUnavailable(await requestJson('POST', url('order', '/orders'), { userId: randomUUID(), items: [{ sku: 'MUG-CLASSIC', quantity: 1 }] }), 'POST /orders');
      const refusedBuyer = randomUUID();
      expectUnavailable(await requestJson('POST', url('order', '/flash-sales/broker-stop/purchases'), { userId: refusedBuyer, sku: 'TSHIRT-RED' }), 'POST purchase');
      // Not queued, not recorded: the buyer may try again later.
      expect(await queryRows(stack.database.url, 'SELECT 1 FROM "order".purchases WHERE user_id = $1', [refusedBuyer])).toEqual([]);
    } finally {
      await stack.broker.restart();
    }

    await waitFor(async () => (await requestJson('POST', url('registration', '/users'), newProfile('broker-back'))).status === 201, { timeoutMs: 60_000, message: 'registration after the broker restart' });
    await waitFor(async () => (await getJson<{ status: string }>(url('order', soldBefore.body.statusUrl))).status === 'CONFIRMED', { timeoutMs: 60_000, message: 'the purchase queued before the stop' });
  });

  it('answers 400 for integers beyond their column and NUL characters, at every service', async () => {
    expect((await requestJson('POST', url('order', '/orders'), { userId: randomUUID(), items: [{ sku: 'MUG-CLASSIC', quantity: INT4_MAX + 1 }] })).status).toBe(400);
    expect((await requestJson('PUT', url('inventory', '/products/MUG-CLASSIC/price'), { priceCents: 99_999_999_999 })).status).toBe(400);
    expect((await requestJson('PUT', url('inventory', '/products/MUG-CLASSIC/stock'), { stock: INT4_MAX + 1 })).status).toBe(400);
    expect((await requestJson('POST', url('registration', '/users'), { ...newProfile('nul'), name: 'Nul\u0000Byte' })).status).toBe(400);
    expect((await requestJson('GET', url('price-cache', '/prices/MUG%00CLASSIC'))).status).toBe(400);
  });

  it('rejects and dead-letters an order inventory can never apply, instead of retrying it for hours', async () => {
    // Each line fits an int column; their sum per SKU does not, which only Postgres finds out.
    const placed = await requestJson<{ orderId: string }>('POST', url('order', '/orders'), {
      userId: randomUUID(),
      items: [
        { sku: 'MUG-CLASSIC', quantity: INT4_MAX },
        { sku: 'MUG-CLASSIC', quantity: INT4_MAX },
      ],
    });
    expect(placed.status).toBe(201);

    const order = await waitFor(
      async () => {
        const current = await getJson<{ status: string; reason?: string }>(url('order', `/orders/${placed.body.orderId}`));
        return current.status === 'REJECTED' && current;
      },
      { timeoutMs: 30_000, message: 'the order to be rejected' },
    );
    expect(order.reason).toMatch(/^cannot apply: .*out of range/);
    await waitFor(async () => (await admin.group(inventoryOrdersGroup.name)).dlq === 1, { message: 'the order-created message in the DLQ' });
  });
});
