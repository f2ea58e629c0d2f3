import type { StockLevel } from '@rocketmq-shop/contracts';

export type GateUpdate = 'applied' | 'stale';

/**
 * This replica's knowledge of what inventory has left, fed by stock-levels (broadcast): a purchase
 * of more than a SKU's known stock is refused here, before Postgres or the broker are touched. A SKU
 * it has heard nothing about is open — inventory stays the judge of every admitted purchase, so a
 * gate that knows too little costs work, never a wrong answer (ADR 0011).
 */
export class SoldOutGate {
  private readonly levels = new Map<string, { available: number; version: number }>();
  private readonly refusedBySale = new Map<string, number>();

  /** Keeps the newest level per SKU: events may arrive late, twice, or out of order. */
  apply(level: StockLevel): GateUpdate {
    const known = this.levels.get(level.sku);
    if (known && known.version >= level.version) return 'stale';
    this.levels.set(level.sku, { available: level.available, version: level.version });
    return 'applied';
  }

  /** True when the purchase cannot be served as far as this replica knows; counted per sale. */
  refuses(saleId: string, sku: string, quantity: number): boolean {
    const known = this.levels.get(sku);
    if (!known || known.available >= quantity) return false;
    this.refusedBySale.set(saleId, (this.refusedBySale.get(saleId) ?? 0) + 1);
    return true;
  }

  /** Purchases of `saleId` this replica refused at the gate since it started. */
  refusedIn(saleId: string): number {
    return this.refusedBySale.get(saleId) ?? 0;
  }

  available(sku: string): number | undefined {
    return this.levels.get(sku)?.available;
  }
}
