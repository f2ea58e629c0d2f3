import type { StockResult } from '@rocketmq-shop/contracts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PurchaseBatcher } from '../src/flash-sale/purchase-batcher';
import { PurchaseOutcomes } from '../src/flash-sale/purchase-outcomes';
import { SoldOutGate } from '../src/flash-sale/sold-out-gate';
import { useOrderDatabase } from './support/order-database';

const orderDatabase = useOrderDatabase();

/** PENDING purchases stored the way admission stores them: through the batcher. */
async function pendingPurchases(count: number): Promise<string[]> {
  const batcher = new PurchaseBatcher(orderDatabase());
  const saleId = `sale-${randomUUID().slice(0, 8)}`;
  const purchases = Array.from({ length: count }, () => ({ requestId: randomUUID(), saleId, userId: randomUUID(), sku: 'FLASH-001', quantity: 1, requestedAt: new Date() }));
  expect(await Promise.all(purchases.map((purchase) => batcher.insert(purchase)))).toEqual(purchases.map(() => true));
  return purchases.map((purchase) => purchase.requestId);
}

const answer = (requestId: string, status: StockResult['status'], reason?: string): StockResult => ({
  requestId,
  kind: 'flash-sale',
  skus: ['FLASH-001'],
  status,
  reason,
  decidedAt: '2026-11-30T19:00:00.000Z',
});

async function statesOf(requestIds: string[]): Promise<[string, string | null][]> {
  const rows: { request_id: string; status: string; reason: string | null }[] = await orderDatabase().query('SELECT request_id, status, reason FROM purchases WHERE request_id = ANY($1)', [requestIds]);
  return requestIds.map((id) => {
    const row = rows.find((candidate) => candidate.request_id === id);
    return [row?.status ?? 'missing', row?.reason ?? null];
  });
}

describe('PurchaseOutcomes (real Postgres)', () => {
  it('applies a batch of answers in one go, the first of two contradictory copies winning', async () => {
    const [confirmed, rejected, twice] = await pendingPurchases(3);
    const gate = new SoldOutGate();
    gate.apply({ sku: 'FLASH-001', available: 3, version: 1, changedAt: '2026-11-30T19:00:00.000Z' });
    for (let admitted = 0; admitted < 3; admitted++) gate.reserve('sale', 'FLASH-001', 1);
    const outcomes = new PurchaseOutcomes(orderDatabase(), gate);

    const applied = await Promise.all([
      outcomes.apply(answer(confirmed, 'RESERVED')),
      outcomes.apply(answer(rejected, 'REJECTED', 'out of stock: FLASH-001 has 0, 1 requested')),
      outcomes.apply(answer(twice, 'RESERVED')),
      outcomes.apply(answer(twice, 'REJECTED', 'contradicts the first copy')),
    ]);

    expect(applied).toEqual(['applied', 'applied', 'applied', 'duplicate']);
    expect(await statesOf([confirmed, rejected, twice])).toEqual([
      ['CONFIRMED', null],
      ['REJECTED', 'out of stock: FLASH-001 has 0, 1 requested'],
      ['CONFIRMED', null],
    ]);
    // The rejected purchase's unit is back in this replica's gate; the contradicting copy gave nothing back.
    expect(gate.available('FLASH-001')).toBe(1);
  });

  it('changes nothing for an answer delivered again, nor for a purchase that is not pending', async () => {
    const [purchase] = await pendingPurchases(1);
    const outcomes = new PurchaseOutcomes(orderDatabase(), new SoldOutGate());
    expect(await outcomes.apply(answer(purchase, 'REJECTED', 'sold out'))).toBe('applied');

    const unknown = randomUUID();
    const later = await Promise.all([outcomes.apply(answer(purchase, 'RESERVED')), outcomes.apply(answer(unknown, 'RESERVED'))]);

    expect(later).toEqual(['duplicate', 'ignored']);
    expect(await statesOf([purchase, unknown])).toEqual([
      ['REJECTED', 'sold out'],
      ['missing', null],
    ]);
  });
});
