import type { DataSource } from 'typeorm';
import type { Purchase } from './purchase.entity';

export type NewPurchase = Pick<Purchase, 'requestId' | 'saleId' | 'userId' | 'sku' | 'quantity' | 'requestedAt'>;

interface Waiting {
  purchase: NewPurchase;
  settle: (inserted: boolean) => void;
  fail: (error: unknown) => void;
}

/** Rows per INSERT at most: a batch's answers wait for its slowest row. */
const MAX_ROWS = 500;

/**
 * Inserts PENDING purchases in batches: while one INSERT is on its way, the purchases that arrive
 * wait and go together in the next one. A spike of N admissions costs a handful of statements, not N
 * transactions, and a lone request still goes at once (no timer). Resolves per purchase: inserted,
 * or not because the user already has a purchase in the sale (ON CONFLICT DO NOTHING).
 */
export class PurchaseBatcher {
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(private readonly dataSource: DataSource) {}

  insert(purchase: NewPurchase): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.waiting.push({ purchase, settle, fail });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_ROWS);
      try {
        const inserted = await this.insertRows(batch.map((entry) => entry.purchase));
        for (const entry of batch) entry.settle(inserted.has(entry.purchase.requestId));
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    }
    this.flushing = false;
  }

  /**
   * One statement whatever the batch size: the rows travel as seven arrays (unnest), so neither the SQL
   * text nor the ORM's work grows with the rows — TypeORM's multi-row insert builder spent more CPU
   * than Postgres did on these INSERTs under a spike.
   */
  private async insertRows(purchases: NewPurchase[]): Promise<Set<string>> {
    const column = <K extends keyof NewPurchase>(key: K) => purchases.map((purchase) => purchase[key]);
    const rows: { request_id: string }[] = await this.dataSource.query(
      `INSERT INTO purchases (request_id, sale_id, user_id, sku, quantity, requested_at, status)
       SELECT *, 'PENDING' FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::varchar[], $5::int[], $6::timestamptz[])
       ON CONFLICT DO NOTHING RETURNING request_id`,
      [column('requestId'), column('saleId'), column('userId'), column('sku'), column('quantity'), column('requestedAt')],
    );
    return new Set(rows.map((row) => row.request_id));
  }
}
