import { Coalescer } from '@rocketmq-shop/rocketmq-transport';
import type { DataSource } from 'typeorm';
import type { Purchase } from './purchase.entity';

export type NewPurchase = Pick<Purchase, 'requestId' | 'saleId' | 'userId' | 'sku' | 'quantity' | 'requestedAt'>;

interface Waiting {
  purchase: NewPurchase;
  settle: (inserted: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Rows per INSERT at most (a batch's answers wait for its slowest row), and two INSERTs on their way
 * at once: while both are out, the purchases that arrive gather for the next one.
 */
const BATCHING = { maxItems: 500, maxBytes: Number.MAX_SAFE_INTEGER, lingerMs: 0, maxInFlight: 2 };

/**
 * Inserts PENDING purchases in batches (the transport's Coalescer): a spike of N admissions costs a
 * handful of statements, not N transactions, and a lone request goes at the end of its tick. Resolves
 * per purchase: inserted, or not because the user already has a purchase in the sale (ON CONFLICT DO
 * NOTHING).
 */
export class PurchaseBatcher {
  private readonly batches = new Coalescer<Waiting>(BATCHING, () => 1, (_key, batch) => this.settle(batch));

  constructor(private readonly dataSource: DataSource) {}

  insert(purchase: NewPurchase): Promise<boolean> {
    return new Promise((settle, fail) => this.batches.add('purchases', { purchase, settle, fail }));
  }

  private async settle(batch: Waiting[]): Promise<void> {
    try {
      const inserted = await this.insertRows(batch.map((entry) => entry.purchase));
      for (const entry of batch) entry.settle(inserted.has(entry.purchase.requestId));
    } catch (error) {
      for (const entry of batch) entry.fail(error);
    }
  }

  /**
   * One statement whatever the batch size: the rows travel as six arrays (unnest), so neither the SQL
   * text nor the ORM's work grows with the rows — TypeORM's multi-row insert builder spent more CPU
   * than Postgres did on these INSERTs under a spike. Rows go in (sale, user) order: two batches in
   * flight that share a buyer wait on each other's unique-index entries in the same order, so they
   * cannot deadlock.
   */
  private async insertRows(purchases: NewPurchase[]): Promise<Set<string>> {
    const sorted = [...purchases].sort((a, b) => (a.saleId === b.saleId ? compare(a.userId, b.userId) : compare(a.saleId, b.saleId)));
    const column = <K extends keyof NewPurchase>(key: K) => sorted.map((purchase) => purchase[key]);
    const rows: { request_id: string }[] = await this.dataSource.query(
      `INSERT INTO purchases (request_id, sale_id, user_id, sku, quantity, requested_at, status)
       SELECT request_id, sale_id, user_id, sku, quantity, requested_at, 'PENDING'
       FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::varchar[], $5::int[], $6::timestamptz[])
         WITH ORDINALITY AS row(request_id, sale_id, user_id, sku, quantity, requested_at, position)
       ORDER BY position
       ON CONFLICT DO NOTHING RETURNING request_id`,
      [column('requestId'), column('saleId'), column('userId'), column('sku'), column('quantity'), column('requestedAt')],
    );
    return new Set(rows.map((row) => row.request_id));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
