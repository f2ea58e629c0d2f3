import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type NewPurchase, PurchaseBatcher } from '../src/flash-sale/purchase-batcher';
import { useOrderDatabase } from './support/order-database';

const orderDatabase = useOrderDatabase();

const purchase = (saleId: string, userId: string): NewPurchase => ({ requestId: randomUUID(), saleId, userId, sku: 'FLASH-001', quantity: 1, requestedAt: new Date() });

async function rowsOf(saleId: string): Promise<{ request_id: string; user_id: string; status: string }[]> {
  return orderDatabase().query('SELECT request_id, user_id, status FROM purchases WHERE sale_id = $1', [saleId]);
}

describe('PurchaseBatcher', () => {
  it('stores every purchase of a burst as PENDING and answers each caller for its own row', async () => {
    const batcher = new PurchaseBatcher(orderDatabase());
    const saleId = `sale-${randomUUID().slice(0, 8)}`;
    const burst = Array.from({ length: 1_200 }, () => purchase(saleId, randomUUID()));
    expect(await Promise.all(burst.map((p) => batcher.insert(p)))).toEqual(burst.map(() => true));
    const rows = await rowsOf(saleId);
    expect(rows).toHaveLength(1_200);
    expect(new Set(rows.map((row) => row.request_id))).toEqual(new Set(burst.map((p) => p.requestId)));
    expect(rows.every((row) => row.status === 'PENDING')).toBe(true);
  });

  it('lets one purchase per buyer in, within a batch and across batches in flight together, without deadlocking', async () => {
    const batcher = new PurchaseBatcher(orderDatabase());
    const saleId = `sale-${randomUUID().slice(0, 8)}`;
    const buyers = Array.from({ length: 300 }, () => randomUUID());
    // Every buyer three times, in crossing orders, over several ticks: batches in flight share buyers.
    const waves = [buyers, [...buyers].reverse(), buyers.slice(150).concat(buyers.slice(0, 150))];
    const outcomes: Promise<boolean>[] = [];
    const requests: NewPurchase[] = [];
    for (const wave of waves) {
      for (const userId of wave) {
        const request = purchase(saleId, userId);
        requests.push(request);
        outcomes.push(batcher.insert(request));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const inserted = await Promise.all(outcomes);
    const rows = await rowsOf(saleId);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((row) => row.user_id))).toEqual(new Set(buyers));
    // Exactly the callers whose request id is stored were told "inserted".
    const stored = new Set(rows.map((row) => row.request_id));
    expect(requests.filter((_, i) => inserted[i]).map((r) => r.requestId).sort()).toEqual([...stored].sort());
  });
});
