import type { StockLevel } from '@rocketmq-shop/contracts';

export type GateUpdate = 'applied' | 'stale';

/** Units this replica counted against a SKU's stock level for one admission; given back if the admission fails. */
export interface Reservation {
  readonly sku: string;
  readonly quantity: number;
  /** The stock level's version the units were counted against (undefined: the SKU was unknown, nothing counted). */
  readonly version: number | undefined;
}

interface KnownStock {
  available: number;
  version: number;
  /** Units this replica admitted since `version` arrived. */
  admitted: number;
  /** Of `admitted`, the units of admissions still under way: they come back if those fail. */
  held: number;
}

/**
 * This replica's knowledge of what inventory has left, fed by stock-levels (broadcast), minus what this
 * replica admitted since (ADR 0011, ADR 0020): a purchase of more than that is refused here, before
 * Postgres or the broker are touched. A SKU it has heard nothing about is open. Inventory stays the
 * judge of every admitted purchase, so the gate only ever errs towards open (a newer level forgets the
 * count: purchases in the backlog are counted by nobody; other replicas' admissions are not counted
 * here), which costs work, never a wrong answer. It closes early only on units this replica admitted,
 * and those come back when an admission fails or inventory rejects it; a newer level (a restock, a
 * cancellation) reopens it.
 */
export class SoldOutGate {
  private readonly stock = new Map<string, KnownStock>();
  private readonly refusedBySale = new Map<string, number>();
  /** Admissions waiting for units held by others to be taken or given back, per SKU. */
  private readonly waiting = new Map<string, (() => void)[]>();

  /** Keeps the newest level per SKU: events may arrive late, twice, or out of order. */
  apply(level: StockLevel): GateUpdate {
    const known = this.stock.get(level.sku);
    if (known && known.version >= level.version) return 'stale';
    this.stock.set(level.sku, { available: level.available, version: level.version, admitted: 0, held: 0 });
    this.wake(level.sku);
    return 'applied';
  }

  /**
   * True when the purchase cannot be served as far as this replica knows, even if every admission still
   * under way gave its units back; counted per sale.
   */
  refuses(saleId: string, sku: string, quantity: number): boolean {
    const known = this.stock.get(sku);
    if (!known || known.available - known.admitted + known.held >= quantity) return false;
    this.refusedBySale.set(saleId, (this.refusedBySale.get(saleId) ?? 0) + 1);
    return true;
  }

  /**
   * Counts (and holds) the units of an admission about to start; undefined (counted as refused) if the
   * gate refuses it; `'wait'` when only units held by admissions still under way stand in its way: a
   * repeat buyer's or a failed admission gives them back, so the buyer asks again after the next
   * `settlement` instead of hearing "sold out" while a unit may be left.
   */
  reserve(saleId: string, sku: string, quantity: number): Reservation | 'wait' | undefined {
    if (this.refuses(saleId, sku, quantity)) return undefined;
    const known = this.stock.get(sku);
    if (!known) return { sku, quantity, version: undefined };
    if (known.available - known.admitted < quantity) return 'wait';
    known.admitted += quantity;
    known.held += quantity;
    return { sku, quantity, version: known.version };
  }

  /** Resolves the next time units of `sku` are taken or given back, or a new level arrives. */
  settlement(sku: string): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.waiting.get(sku);
      if (waiting) waiting.push(resolve);
      else this.waiting.set(sku, [resolve]);
    });
  }

  /**
   * An admission ended: its units are taken (202), or were never taken (a repeat buyer, the broker
   * down) and count again for the next buyer.
   */
  settle(reservation: Reservation, taken: boolean): void {
    const known = this.stock.get(reservation.sku);
    if (known && known.version === reservation.version) {
      known.held = Math.max(0, known.held - reservation.quantity);
      if (!taken) known.admitted = Math.max(0, known.admitted - reservation.quantity);
    }
    this.wake(reservation.sku);
  }

  /**
   * Inventory rejected an admitted purchase: its units were not taken either. Which level it was counted
   * against is not known any more, so it is given back to the current one (erring open); a rejection for
   * lack of stock follows the sell-out's level, which keeps the gate closed at 0.
   */
  rejected(sku: string, quantity: number): void {
    const known = this.stock.get(sku);
    if (known) known.admitted = Math.max(0, known.admitted - quantity);
    this.wake(sku);
  }

  /** Purchases of `saleId` this replica refused at the gate since it started. */
  refusedIn(saleId: string): number {
    return this.refusedBySale.get(saleId) ?? 0;
  }

  private wake(sku: string): void {
    const waiting = this.waiting.get(sku);
    if (!waiting) return;
    this.waiting.delete(sku);
    for (const resolve of waiting) resolve();
  }

  /** What inventory last said is left, minus what this replica admitted since. */
  available(sku: string): number | undefined {
    const known = this.stock.get(sku);
    return known && known.available - known.admitted;
  }
}

/** 409 with a machine-readable reason: load scripts and clients tell a sold-out sale from a repeat buyer. */
export function soldOutAnswer(saleId: string, sku: string) {
  return { statusCode: 409, error: 'Conflict', reason: 'sold-out' as const, message: `sale ${saleId}: ${sku} is sold out` };
}
