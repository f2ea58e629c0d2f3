import { Injectable, Logger } from '@nestjs/common';
import { type StockResult, orderStockResultsGroup } from '@rocketmq-shop/contracts';
import { Coalescer } from '@rocketmq-shop/rocketmq-transport';
import { DataSource, type EntityManager } from 'typeorm';
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

/** Up to 64 answers per transaction, two transactions in flight; a lone answer leaves at once. */
const BATCHING = { maxItems: 64, maxBytes: Number.MAX_SAFE_INTEGER, lingerMs: 2, maxInFlight: 2 };

/**
 * Inventory's answers to flash-sale purchases, applied in batches (ADR 0014): the answers handed over
 * while one transaction is on its way go together in the next — one INSERT of their processed-message
 * keys (`flash-sale:<requestId>`, as consumeOnce keyed them: an answer delivered again is a duplicate),
 * one UPDATE of the purchases still PENDING. In a spike inventory now answers thousands per second, on
 * the process that admits the spike; one transaction per answer cost it four round trips each.
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
      const { outcomes, rejected } = await this.dataSource.transaction((manager) => this.applyTogether(manager, batch.map((waiting) => waiting.result)));
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

  private async applyTogether(manager: EntityManager, results: StockResult[]): Promise<{ outcomes: Map<string, OutcomeApplied>; rejected: RejectedUnits[] }> {
    const keyOf = (result: StockResult) => `${result.kind}:${result.requestId}`;
    // Sorted keys: two batches sharing an answer lock its key in the same order and cannot deadlock.
    const keys = [...new Set(results.map(keyOf))].sort();
    const inserted: { message_key: string }[] = await manager.query(
      'INSERT INTO processed_messages (consumer_group, message_key) SELECT $1, unnest($2::varchar[]) ON CONFLICT DO NOTHING RETURNING message_key',
      [orderStockResultsGroup.name, keys],
    );
    const fresh = new Set(inserted.map((row) => row.message_key));
    const first = results.filter((result) => fresh.delete(keyOf(result)));
    if (first.length === 0) return { outcomes: new Map(), rejected: [] };
    const column = <T>(value: (result: StockResult) => T) => first.map(value);
    // TypeORM answers an UPDATE's raw query as [rows, rowCount].
    const [updated]: [({ request_id: string; status: PurchaseState } & RejectedUnits)[], number] = await manager.query(
      `UPDATE purchases p SET status = v.status, reason = v.reason, decided_at = v.decided_at
       FROM unnest($1::uuid[], $2::varchar[], $3::text[], $4::timestamptz[]) AS v(request_id, status, reason, decided_at)
       WHERE p.request_id = v.request_id AND p.status = 'PENDING' RETURNING p.request_id, p.sku, p.quantity, p.status`,
      [column((r) => r.requestId), column(purchaseStateOf), column((r) => r.reason ?? null), column((r) => r.decidedAt)],
    );
    const applied = new Set(updated.map((row) => row.request_id));
    const ignored = first.filter((result) => !applied.has(result.requestId));
    if (ignored.length > 0) this.logger.warn(`${ignored.length} stock results ignored, their purchases not pending: ${ignored.map((r) => r.requestId).join(', ')}`);
    const outcomes = new Map(first.map((result) => [result.requestId, applied.has(result.requestId) ? ('applied' as const) : ('ignored' as const)]));
    return { outcomes, rejected: updated.filter((row) => row.status === 'REJECTED') };
  }
}

function purchaseStateOf(result: StockResult): PurchaseState {
  return result.status === 'RESERVED' ? 'CONFIRMED' : 'REJECTED';
}
