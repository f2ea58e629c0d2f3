import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { AdminClient, FAST_TEST_SETTINGS, Stack, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';
import { newProfile } from './support/shop-users';

// The failure catalogue's switches, driven as the console drives them (HTTP only), and the data its
// scenario panels read: what each fault does to the messaging, asserted as outcomes.

const SALE = 'paused-sale';
const SKU = 'TSHIRT-RED';
const PURCHASES = 12;

let stack: Stack;
let admin: AdminClient;
const url = (service: string, path: string) => `${stack.url(service)}${path}`;
const purchaseIntake = () => admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic);

beforeAll(async () => {
  stack = await Stack.start({
    services: [
      { app: 'registration', env: { LOG_LEVEL: 'warn' } },
      { app: 'notification', env: { LOG_LEVEL: 'warn', NOTIFICATION_PROVIDER_LATENCY_MS: '5', NOTIFICATION_RETRY_BACKOFF_MS: '200' } },
      { app: 'order', env: { LOG_LEVEL: 'warn', FLASH_SALE_QUEUE_BUDGET_MS: '60000' } },
      { app: 'inventory', env: { LOG_LEVEL: 'warn', INVENTORY_PURCHASE_RATE: '20' } },
    ],
    broker: FAST_TEST_SETTINGS,
  });
  admin = new AdminClient(stack.broker);
});

afterAll(() => stack?.stop());

describe('failure catalogue', () => {
  it('pausing inventory leaves purchase requests in the broker as backlog; resuming drains them', async () => {
    const stockBefore = (await getJson<{ stock: number }>(url('inventory', `/products/${SKU}`))).stock;
    const paused = await requestJson('PUT', url('inventory', '/faults'), { purchasesPaused: true });
    expect(paused).toMatchObject({ status: 200, body: { purchasesPaused: true, slowdownMs: 0 } });
    expect(await getJson(url('inventory', '/faults'))).toEqual({ purchasesPaused: true, slowdownMs: 0 });
    const before = await purchaseIntake();

    const answers = await Promise.all(
      Array.from({ length: PURCHASES }, () => requestJson('POST', url('order', `/flash-sales/${SALE}/purchases`), { userId: randomUUID(), sku: SKU })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(PURCHASES).fill(202));
    await waitFor(async () => (await purchaseIntake()).backlog === before.backlog + PURCHASES, { message: `a backlog of ${PURCHASES} purchase requests` });
    expect((await purchaseIntake()).acked).toBe(before.acked);
    expect(await getJson(url('order', `/flash-sales/${SALE}/stats`))).toMatchObject({ accepted: PURCHASES, pending: PURCHASES, confirmed: 0 });
    expect((await getJson<{ stock: number }>(url('inventory', `/products/${SKU}`))).stock).toBe(stockBefore);

    expect((await requestJson('PUT', url('inventory', '/faults'), { purchasesPaused: false })).body).toEqual({ purchasesPaused: false, slowdownMs: 0 });
    await waitFor(async () => (await purchaseIntake()).backlog === 0, { timeoutMs: 30_000, message: 'the backlog to drain' });
    await waitFor(async () => (await getJson<{ confirmed: number }>(url('order', `/flash-sales/${SALE}/stats`))).confirmed === PURCHASES, {
      message: `${PURCHASES} purchases confirmed`,
    });
    expect((await getJson<{ stock: number }>(url('inventory', `/products/${SKU}`))).stock).toBe(stockBefore - PURCHASES);
    expect(await getJson(url('inventory', '/stats'))).toMatchObject({ intakeRatePerSecond: 20 });
  });

  it('a failing email provider: SMS goes out at once, email is retried with backoff and goes out once the provider recovers', async () => {
    expect((await requestJson('PUT', url('notification', '/faults'), { email: { failureRate: 1 } })).status).toBe(200);
    const registered = await requestJson<{ userId: string }>('POST', url('registration', '/users'), newProfile('email-down'));
    expect(registered.status).toBe(201);
    const { userId } = registered.body;
    const deliveries = () => getJson<{ channel: string; attempts: number; sentAt: string }[]>(url('notification', `/deliveries?userId=${userId}`));

    await waitFor(async () => (await deliveries()).some((delivery) => delivery.channel === 'sms'), { message: 'the SMS' });
    await waitFor(async () => (await getJson<{ email: { failed: number } }>(url('notification', '/stats'))).email.failed >= 2, { message: 'the email to fail, and fail again on its retry' });
    expect((await deliveries()).map((delivery) => delivery.channel)).toEqual(['sms']);

    expect((await requestJson('PUT', url('notification', '/faults'), { email: { failureRate: 0 } })).body).toMatchObject({ email: { failureRate: 0 }, sms: { failureRate: 0 } });
    const email = await waitFor(async () => (await deliveries()).find((delivery) => delivery.channel === 'email'), { timeoutMs: 30_000, message: 'the email after the provider recovered' });
    expect(email.attempts).toBeGreaterThan(1);

    // The registration timeline: the user's commit first, then each channel on its own clock.
    const user = await getJson<{ registeredAt: string }>(url('registration', `/users/${userId}`));
    for (const delivery of await deliveries()) expect(Date.parse(delivery.sentAt)).toBeGreaterThanOrEqual(Date.parse(user.registeredAt));
  });

  it('reports every switch with GET /faults and refuses a bad one with 400 naming it', async () => {
    expect(await getJson(url('registration', '/faults'))).toEqual({ crashBetweenHalfAndCommitRate: 0 });
    expect(await getJson(url('notification', '/faults'))).toMatchObject({ email: { failureRate: 0 }, sms: { failureRate: 0 } });

    const empty = await requestJson<{ issues: { message: string }[] }>('PUT', url('inventory', '/faults'), {});
    expect(empty.status).toBe(400);
    expect(empty.body.issues[0].message).toBe('give at least one of: slowdownMs, purchasesPaused');
    const misspelt = await requestJson<{ issues: { message: string }[] }>('PUT', url('inventory', '/faults'), { purchasePaused: true });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.issues[0].message).toContain('purchasePaused');
    expect((await requestJson('PUT', url('notification', '/faults'), { email: { failureRate: 2 } })).status).toBe(400);
    expect((await requestJson('PUT', url('notification', '/faults'), { whatsapp: { failureRate: 1 } })).status).toBe(400);
    expect((await requestJson('PUT', url('registration', '/faults'), { crashBetweenHalfAndCommitRate: 'often' })).status).toBe(400);
  });
});
