import { Stack, waitFor } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShopAnswer, type ShopRequest, flashSale, registration, shopperId } from '../../../load/shop-requests';

// The k6 scripts' request logic (load/shop-requests.ts), driven from Node against the real shop: CI
// has no k6, but a change to the API that would break a script breaks this test.

const STOCK = 20;
const SKU = 'HEADPHONES-X';

let stack: Stack;

beforeAll(async () => {
  stack = await Stack.start({ services: [{ app: 'inventory', env: { INVENTORY_PURCHASE_RATE: '200' } }, { app: 'order' }, { app: 'registration' }] });
});

afterAll(() => stack?.stop());

async function send(request: ShopRequest): Promise<ShopAnswer> {
  const response = await fetch(request.url, { method: request.method, headers: { 'content-type': 'application/json' }, body: request.body });
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
}

describe('load/shop-requests.ts against the shop', () => {
  it('runs the flash-sale script: setup sets the stock, every answer means something, teardown finds nothing wrong', async () => {
    const runId = Date.now();
    const saleId = `k6-${runId}`;
    expect((await send(flashSale.setStock(stack.url('inventory'), SKU, STOCK))).status).toBe(200);

    const outcomes = [];
    for (let n = 0; n < 60; n++) {
      const repeat = n % 10 === 9;
      outcomes.push(flashSale.classify(await send(flashSale.purchase(stack.url('order'), saleId, shopperId(runId, repeat ? n - 1 : n), SKU))));
    }
    expect(outcomes).not.toContain('broken');
    expect(outcomes.filter((outcome) => outcome === 'repeat-buyer').length).toBeGreaterThan(0);

    const stats = await waitFor(
      async () => {
        const current = flashSale.readStats(await send(flashSale.stats(stack.url('order'), saleId)));
        return current.pending === 0 && current;
      },
      { timeoutMs: 60_000, message: 'the sale to drain' },
    );
    expect(stats.confirmed).toBe(STOCK);
    expect(flashSale.problems(stats, STOCK)).toEqual([]);
    expect(flashSale.problems({ ...stats, confirmed: STOCK + 1, pending: 2 }, STOCK)).toEqual([
      `oversold: ${STOCK + 1} confirmed for a stock of ${STOCK}`,
      'unfinished: 2 purchases still pending',
    ]);
    expect(JSON.parse((await send(flashSale.product(stack.url('inventory'), SKU))).body)).toMatchObject({ stock: 0 });
  });

  it('runs the registration script: every request registers a new user', async () => {
    const runId = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 10 }, async (_, n) => registration.classify(await send(registration.register(stack.url('registration'), runId, n)))));
    expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'registered'));
  });

  it('tells a 503 with Retry-After (shed) from one without (broken)', () => {
    expect(flashSale.classify({ status: 503, body: '{}', retryAfter: '1' })).toBe('shed');
    expect(flashSale.classify({ status: 503, body: '{}', retryAfter: null })).toBe('broken');
    expect(registration.classify({ status: 500, body: '{}' })).toBe('broken');
  });
});
