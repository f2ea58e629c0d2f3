import type { DataSource } from 'typeorm';
import { Purchase } from './purchase.entity';

export type NewPurchase = Pick<Purchase, 'requestId' | 'saleId' | 'userId' | 'sku' | 'quantity' | 'requestedAt'>;

interface Waiting {
  purchase: NewPurchase;
  settle: (inserted: boolean) => void;
  fail: (error: unknown) => void;
}

/** Rows per INSERT at most; keeps one statement's parameters (7 per row) far below Postgres's 65,535. */
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

  private async insertRows(purchases: NewPurchase[]): Promise<Set<string>> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Purchase)
      .values(purchases.map((purchase) => ({ ...purchase, status: 'PENDING' as const, reason: null, decidedAt: null })))
      .orIgnore()
      .returning(['requestId'])
      .execute();
    return new Set((result.raw as { request_id: string }[]).map((row) => row.request_id));
  }
}
