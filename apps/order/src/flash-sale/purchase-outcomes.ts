import { Injectable, Logger } from '@nestjs/common';
import { type StockResult, orderStockResultsGroup } from '@rocketmq-shop/contracts';
import { Coalescer } from '@rocketmq-shop/rocketmq-transport';
import { DataSource } from 'typeorm';
import type { PurchaseState } from './purchase.entity';
import { SoldOutGate } from './sold-out-gate';

/** applied: the purchase is decided now; duplicate: this answer came before; ignored: the purchase was not pending. */
export type OutcomeApplied = 'applied' | 'duplicate' | 'ignored';

interface Waiting {
  result: StockResult;
  settle(outcome: OutcomeApplied): void;
  fail(error: unknown): void;
}

interface RejectedUnits {
  sku: string;
  quantity: number;
}

/** Up to 64 answers per statement, two statements in flight; a lone answer leaves at once. */
const BATCHING = { maxItems: 64, maxBytes: Number.MAX_SAFE_INTEGER, lingerMs: 2, maxInFlight: 2 };

/**
 * Inventory's answers to flash-sale purchases, applied in batches (ADR 0014): the answers handed over
 * while one statement is on its way go together in the next, which records their processed-message keys
 * (`flash-sale:<requestId>`, as consumeOnce keyed them: an answer delivered again is a duplicate) and
 * decides the purchases still PENDING. In a spike inventory answers a thousand per second, to the
 * process that admits the spike.
 */
@Injectable()
export class PurchaseOutcomes {
  private readonly logger = new Logger(PurchaseOutcomes.name);
  private readonly batches = new Coalescer<Waiting>(BATCHING, () => 1, (_key, batch) => this.settle(batch));

  constructor(
    private readonly dataSource: DataSource,
    private readonly gate: SoldOutGate,
  ) {}

  /** Resolves once the answer's batch committed; rejects (and the broker redelivers) if it failed. */
  apply(result: StockResult): Promise<OutcomeApplied> {
    return new Promise((settle, fail) => this.batches.add('purchases', { result, settle, fail }));
  }

  private async settle(batch: Waiting[]): Promise<void> {
    try {
      const { outcomes, rejected } = await this.applyTogether(batch.map((waiting) => waiting.result));
      // Units inventory did not take go back to this replica's gate, once the rejection is recorded (ADR 0020).
      for (const { sku, quantity } of rejected) this.gate.rejected(sku, quantity);
      for (const waiting of batch) {
        waiting.settle(outcomes.get(waiting.result.requestId) ?? 'duplicate');
        // The same answer twice in one batch: the first one counts.
        outcomes.delete(waiting.result.requestId);
      }
    } catch (error) {
      for (const waiting of batch) waiting.fail(error);
    }
  }

  /**
   * One statement, atomic on its own: it records the answers' processed-message keys and decides the
   * purchases whose keys were new — a transaction of INSERT and UPDATE cost four round trips, and in a
   * spike these batches come hundreds of times a second to the process that admits it.
   */
  private async applyTogether(results: StockResult[]): Promise<{ outcomes: Map<string, OutcomeApplied>; rejected: RejectedUnits[] }> {
    // The first answer per key counts; sorted keys: two batches sharing an answer lock its key in the
    // same order and cannot deadlock.
    const byKey = new Map<string, StockResult>();
    for (const result of results) {
      const key = `${result.kind}:${result.requestId}`;
      if (!byKey.has(key)) byKey.set(key, result);
    }
    const keys = [...byKey.keys()].sort();
    const column = <T>(value: (result: StockResult) => T) => keys.map((key) => value(byKey.get(key) as StockResult));
    const rows: ({ request_id: string; applied: boolean } & Partial<RejectedUnits> & { status: PurchaseState | null })[] = await this.dataSource.query(
      `WITH answer AS (
         SELECT * FROM unnest($2::varchar[], $3::uuid[], $4::varchar[], $5::text[], $6::timestamptz[])
           WITH ORDINALITY AS a(message_key, request_id, status, reason, decided_at, position)
       ), fresh AS (
         INSERT INTO processed_messages (consumer_group, message_key)
         SELECT $1, message_key FROM answer ORDER BY position
         ON CONFLICT DO NOTHING RETURNING message_key
       ), decided AS (
         UPDATE purchases p SET status = a.status, reason = a.reason, decided_at = a.decided_at
         FROM answer a JOIN fresh f USING (message_key)
         WHERE p.request_id = a.request_id AND p.status = 'PENDING'
         RETURNING p.request_id, p.sku, p.quantity, p.status
       )
       SELECT a.request_id, d.request_id IS NOT NULL AS applied, d.sku, d.quantity, d.status
       FROM fresh f JOIN answer a USING (message_key) LEFT JOIN decided d ON d.request_id = a.request_id`,
      [orderStockResultsGroup.name, keys, column((r) => r.requestId), column(purchaseStateOf), column((r) => r.reason ?? null), column((r) => r.decidedAt)],
    );
    const ignored = rows.filter((row) => !row.applied).map((row) => row.request_id);
    if (ignored.length > 0) this.logger.warn(`${ignored.length} stock results ignored, their purchases not pending: ${ignored.join(', ')}`);
    const outcomes = new Map(rows.map((row) => [row.request_id, row.applied ? ('applied' as const) : ('ignored' as const)]));
    const rejected = rows.filter((row) => row.status === 'REJECTED').map((row) => ({ sku: row.sku as string, quantity: row.quantity as number }));
    return { outcomes, rejected };
  }
}

function purchaseStateOf(result: StockResult): PurchaseState {
  return result.status === 'RESERVED' ? 'CONFIRMED' : 'REJECTED';
}
