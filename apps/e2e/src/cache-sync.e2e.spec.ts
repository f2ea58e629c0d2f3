import { brokerGroups, priceCacheBroadcastGroup, priceChanged } from '@rocketmq-shop/contracts';
import { AdminClient, ServiceProcess, Stack, waitFor } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';

// Large-scale cache synchronization (docs/scenarios/cache-synchronization.md): inventory publishes a
// price change once, and every price-cache replica — running, restarted or brand new — converges on it
// through its own broadcast group. Every replica asks for a price snapshot when it starts, so it also
// knows the SKUs whose price never changed (the seed prices) and those that changed while it was down.

const SKU = 'MUG-CLASSIC';
const REPLICAS = ['price-cache-1', 'price-cache-2', 'price-cache-3'];
/** Its group is declared to start at the end of the queue, as new groups do on ApsaraMQ and Apache RocketMQ. */
const STARTS_AT_END = 'price-cache-5';

interface ServedPrice {
  sku: string;
  priceCents: number;
  version: number;
  servedBy: string;
}

interface PriceView {
  priceCents: number;
  version: number;
}

interface CatalogProduct {
  sku: string;
  priceCents: number;
  priceVersion: number;
}

interface CacheState {
  instanceId: string;
  entries: number;
  version: number;
  warm: boolean;
}

/** What inventory holds now: the prices a warm replica must serve, SKU by SKU. */
async function catalog(stack: Stack): Promise<CatalogProduct[]> {
  return getJson<CatalogProduct[]>(`${stack.url('inventory')}/products`);
}

/** Waits until the replica at `baseUrl` serves every product of `products` at its current price and version. */
async function servesCatalog(baseUrl: string, products: CatalogProduct[], who: string): Promise<void> {
  await waitFor(
    async () => {
      for (const product of products) {
        const response = await requestJson<ServedPrice>('GET', `${baseUrl}/prices/${product.sku}`);
        if (response.status !== 200 || response.body.version !== product.priceVersion || response.body.priceCents !== product.priceCents) return undefined;
      }
      return true;
    },
    { timeoutMs: 20_000, message: `${who} to serve all ${products.length} SKUs at inventory's current prices` },
  );
}

async function changePrice(stack: Stack, priceCents: number): Promise<PriceView> {
  const response = await requestJson<PriceView>('PUT', `${stack.url('inventory')}/products/${SKU}/price`, { priceCents });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function servedPrice(baseUrl: string): Promise<ServedPrice | undefined> {
  const response = await requestJson<ServedPrice>('GET', `${baseUrl}/prices/${SKU}`);
  return response.status === 200 ? response.body : undefined;
}

/** Waits until the replica at `baseUrl` serves `expected`, and returns what it served. */
function converged(baseUrl: string, expected: PriceView, who: string): Promise<ServedPrice> {
  return waitFor(
    async () => {
      const served = await servedPrice(baseUrl);
      return served?.version === expected.version && served.priceCents === expected.priceCents ? served : undefined;
    },
    { timeoutMs: 20_000, message: `${who} to serve ${SKU} at ${expected.priceCents} (version ${expected.version})` },
  );
}

describe('cache synchronization', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({
      services: [{ app: 'inventory' }, ...REPLICAS.map((instance) => ({ app: 'price-cache', instance }))],
      broker: { groups: [...brokerGroups(), { name: priceCacheBroadcastGroup(STARTS_AT_END).name, consumeFrom: 'last' }] },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('every replica — running, restarted, brand new, or with a group starting at the end — serves every SKU at its latest version', async () => {
    // 0. The seed prices were never published as changes: the start-up snapshot is how replicas know them.
    const seeded = await catalog(stack);
    expect(seeded.length).toBeGreaterThan(1);
    for (const replica of REPLICAS) await servesCatalog(stack.url(replica), seeded, replica);

    // 1. One change, published once, served by all three replicas from their own memory.
    const first = await changePrice(stack, 1111);
    for (const replica of REPLICAS) {
      expect(await converged(stack.url(replica), first, replica)).toEqual({ sku: SKU, priceCents: 1111, version: first.version, servedBy: replica });
    }
    // Each replica consumed as its own group, named as contracts name it (ADR 0006).
    const admin = new AdminClient(stack.broker);
    for (const replica of REPLICAS) {
      expect((await admin.groupTopic(priceCacheBroadcastGroup(replica).name, priceChanged.topic)).acked).toBeGreaterThanOrEqual(1);
    }

    // 2. A replica that was down while the price changed twice catches up from its group on restart.
    const restarted = stack.service('price-cache-3');
    await restarted.stop();
    const second = await changePrice(stack, 2222);
    const third = await changePrice(stack, 3333);
    expect(third.version).toBe(second.version + 1);
    await converged(stack.url('price-cache-1'), third, 'price-cache-1');
    await restarted.start(); // same INSTANCE_ID, so the same group, which resumes after its last ack
    expect(await converged(restarted.url, third, 'restarted price-cache-3')).toMatchObject({ priceCents: 3333, version: third.version });
    // Its memory started empty and its group delivers only what it missed: the snapshot brings back the
    // SKUs that did not change while it was down, at their latest versions.
    const current = await catalog(stack);
    await servesCatalog(restarted.url, current, 'restarted price-cache-3');
    expect(await getJson<CacheState>(`${restarted.url}/cache`)).toMatchObject({ instanceId: 'price-cache-3', entries: current.length, warm: true });

    // 3. A replica that never existed warms up through messaging: its new group starts at the first
    // retained message (ADR 0004) and replays the history, and its snapshot request brings every current
    // price (all a new group would get where groups start at the end); it keeps the newest versions.
    const fresh = new ServiceProcess({ app: 'price-cache', instance: 'price-cache-4' }, { DATABASE_URL: stack.database.url, ROCKETMQ_ENDPOINTS: stack.broker.endpoint });
    await fresh.start();
    try {
      expect(await converged(fresh.url, third, 'new price-cache-4')).toEqual({ sku: SKU, priceCents: 3333, version: third.version, servedBy: 'price-cache-4' });
      await servesCatalog(fresh.url, current, 'new price-cache-4');
      expect(await getJson<CacheState>(`${fresh.url}/cache`)).toMatchObject({ instanceId: 'price-cache-4', entries: current.length, version: third.version, warm: true });
      // The whole history reached the new group (the older changes only to be found stale).
      expect((await admin.groupTopic(priceCacheBroadcastGroup('price-cache-4').name, priceChanged.topic)).acked).toBeGreaterThanOrEqual(3);
    } finally {
      await fresh.stop();
    }

    // 4. Where a new group starts at the end (ApsaraMQ, Apache RocketMQ) there is no history to replay:
    // the snapshot alone warms the replica up.
    const endStarter = new ServiceProcess({ app: 'price-cache', instance: STARTS_AT_END }, { DATABASE_URL: stack.database.url, ROCKETMQ_ENDPOINTS: stack.broker.endpoint });
    await endStarter.start();
    try {
      await servesCatalog(endStarter.url, current, `new ${STARTS_AT_END} (group starting at the end)`);
      expect(await getJson<CacheState>(`${endStarter.url}/cache`)).toMatchObject({ entries: current.length, version: third.version, warm: true });
    } finally {
      await endStarter.stop();
    }
  });
});
