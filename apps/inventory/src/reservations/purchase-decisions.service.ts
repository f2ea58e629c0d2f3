import { Injectable } from '@nestjs/common';
import { type PurchaseRequested, type StockLevel, type StockResult, inventoryPurchasesGroup, parseEvent, stockResult } from '@rocketmq-shop/contracts';
import { Coalescer, RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';
import { OUTBOX_COLUMNS, outboxChannel, outboxRowsSelect } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { Product } from '../catalog/product.entity';
import { announceStockLevel, changeStock } from '../catalog/stock-levels';
import { unappliableReason } from './unappliable';

/** The fields of a purchase request a decision needs. */
export type Purchase = Pick<PurchaseRequested, 'requestId' | 'sku' | 'quantity'>;

interface Waiting {
  purchase: Purchase;
  settle(result: StockResult | undefined): void;
  fail(error: unknown): void;
}

/** A batch's answers, and the sell-out it announces if it took the last unit. */
interface BatchOutcome {
  results: Map<string, StockResult>;
  soldOut?: StockLevel;
}

interface Decision {
  purchase: Purchase;
  status: StockResult['status'];
  reason: string | undefined;
}

/**
 * Batches of one SKU: up to 64 purchases per transaction; two batches in flight, so one gathers its
 * processed-message rows while the other holds the SKU's row lock. A lone purchase leaves at once
 * (nothing in flight) or within 2 ms.
 */
const BATCHING = { maxItems: 64, maxBytes: Number.MAX_SAFE_INTEGER, lingerMs: 2, maxInFlight: 2 };

/**
 * Decides flash-sale purchases in batches per SKU (ADR 0014): the purchases handed over while a
 * transaction is on its way go together in the next one — one processed-message INSERT, one locked
 * read of the SKU's row, one stock UPDATE, and one statement writing every decision and its
 * stock-results event. Decisions per second grow with the batch instead of being capped by one row lock per
 * purchase. Each purchase still gets its own answer: RESERVED, REJECTED, undefined when it was decided
 * before (a redelivery), or an error.
 */
@Injectable()
export class PurchaseDecisions {
  private readonly batches = new Coalescer<Waiting>(BATCHING, () => 1, (_sku, batch) => this.settle(batch));
  private readonly soldOutListeners: ((level: StockLevel) => void)[] = [];

  /** The relay's LISTEN channel for this service's schema, woken by the statement that writes the events. */
  private readonly outboxChannel: string;

  constructor(private readonly dataSource: DataSource) {
    this.outboxChannel = outboxChannel((dataSource.options as { schema?: string }).schema);
  }

  /** Called after a batch that took a SKU's last unit committed (see SellOutPublisher). */
  onSoldOut(listener: (level: StockLevel) => void): void {
    this.soldOutListeners.push(listener);
  }

  /**
   * Resolves once the purchase's batch committed. A purchase Postgres can never apply is recorded
   * REJECTED with the reason and then rejected with RocketMQNonRetriableError, which dead-letters it.
   */
  decide(purchase: Purchase): Promise<StockResult | undefined> {
    return new Promise((settle, fail) => this.batches.add(purchase.sku, { purchase, settle, fail }));
  }

  private async settle(batch: Waiting[]): Promise<void> {
    try {
      const { results, soldOut } = await this.dataSource.transaction((manager) => this.decideTogether(manager, batch.map((waiting) => waiting.purchase)));
      if (soldOut) for (const listener of this.soldOutListeners) listener(soldOut);
      for (const waiting of batch) {
        waiting.settle(results.get(waiting.purchase.requestId));
        // The same purchase twice in one batch (a redelivery overtaking the first delivery): decided once.
        results.delete(waiting.purchase.requestId);
      }
    } catch (error) {
      const why = unappliableReason(error);
      if (why === undefined) for (const waiting of batch) waiting.fail(error);
      // One purchase spoils its batch: alone, each gets its own answer and only the culprit is dead-lettered.
      else if (batch.length > 1) for (const waiting of batch) await this.settle([waiting]);
      else await this.rejectForGood(batch[0], `cannot apply: ${why}`.slice(0, 500), error);
    }
  }

  private async decideTogether(manager: EntityManager, batch: Purchase[]): Promise<BatchOutcome> {
    const purchases = await this.firstDecisions(manager, batch);
    if (purchases.length === 0) return { results: new Map() };
    // Every purchase of a batch is for one SKU: the batches are gathered per SKU.
    const { sku } = purchases[0];
    const product = await manager.findOne(Product, { where: { sku }, lock: { mode: 'pessimistic_write' } });
    let left = product?.stock ?? 0;
    const decisions = purchases.map((purchase): Decision => {
      if (!product) return { purchase, status: 'REJECTED', reason: `unknown sku ${sku}` };
      if (purchase.quantity > left) return { purchase, status: 'REJECTED', reason: `out of stock: ${sku} has ${left}, ${purchase.quantity} requested` };
      left -= purchase.quantity;
      return { purchase, status: 'RESERVED', reason: undefined };
    });
    const taken = (product?.stock ?? 0) - left;
    let soldOut: StockLevel | undefined;
    if (taken > 0) {
      // The row is locked, so the count read above is still the count: the batch cannot oversell.
      const change = await changeStock(manager, (update) => update.set({ stock: () => 'stock - :taken', stockVersion: () => 'stock_version + 1' }).where('sku = :sku', { sku, taken }));
      // The batch that takes the last unit tells every order replica's sold-out gate (ADR 0011).
      if (change?.stock === 0) soldOut = await announceStockLevel(manager, change);
    }
    return { results: await this.record(manager, decisions), soldOut };
  }

  /**
   * Records each purchase as processed by the purchases group (the idempotency record consumeOnce
   * keeps too) and answers the ones not processed before, each once. Keys go in sorted order, so two
   * batches sharing purchases lock their rows in the same order and cannot deadlock.
   */
  private async firstDecisions(manager: EntityManager, batch: Purchase[]): Promise<Purchase[]> {
    const keys = [...new Set(batch.map((purchase) => purchase.requestId))].sort();
    const inserted: { message_key: string }[] = await manager.query(
      'INSERT INTO processed_messages (consumer_group, message_key) SELECT $1, unnest($2::varchar[]) ON CONFLICT DO NOTHING RETURNING message_key',
      [inventoryPurchasesGroup.name, keys],
    );
    const fresh = new Set(inserted.map((row) => row.message_key));
    return batch.filter((purchase) => fresh.delete(purchase.requestId));
  }

  /**
   * The decision rows and their stock-results events, in the caller's transaction, with one statement
   * whose text does not grow with the batch (the rows travel as arrays): TypeORM's multi-row insert
   * builder cost more CPU than the rest of a decision (ADR 0026 found the same in registration).
   */
  private async record(manager: EntityManager, decisions: Decision[]): Promise<Map<string, StockResult>> {
    const decidedAt = new Date();
    const results = decisions.map(({ purchase, status, reason }) =>
      parseEvent(stockResult, { requestId: purchase.requestId, kind: 'flash-sale', skus: [purchase.sku], status, reason, decidedAt: decidedAt.toISOString() }),
    );
    const events = outboxRowsSelect(
      results.map((result) => ({ topic: stockResult.topic, payload: result, options: { tag: result.status, keys: [result.requestId] } })),
      7,
    );
    await manager.query(
      `WITH decided AS (
         INSERT INTO stock_decisions (request_id, kind, lines, status, reason, decided_at)
         SELECT request_id, 'flash-sale', lines, status, reason, $5 FROM unnest($1::uuid[], $2::jsonb[], $3::varchar[], $4::text[]) AS d(request_id, lines, status, reason)
       ), announced AS (
         INSERT INTO outbox_messages (${OUTBOX_COLUMNS}) SELECT ${OUTBOX_COLUMNS} FROM ${events.from} ORDER BY position
       )
       SELECT pg_notify($6, '')`,
      [
        decisions.map(({ purchase }) => purchase.requestId),
        decisions.map(({ purchase }) => JSON.stringify([{ sku: purchase.sku, quantity: purchase.quantity }])),
        decisions.map(({ status }) => status),
        decisions.map(({ reason }) => reason ?? null),
        decidedAt,
        this.outboxChannel,
        ...events.params,
      ],
    );
    return new Map(results.map((result) => [result.requestId, result]));
  }

  /** A purchase that fails on every retry: answered REJECTED with the reason (so it is decided), then dead-lettered. */
  private async rejectForGood(waiting: Waiting, reason: string, cause: unknown): Promise<void> {
    const { purchase } = waiting;
    try {
      await this.dataSource.transaction(async (manager) => {
        if ((await this.firstDecisions(manager, [purchase])).length > 0) await this.record(manager, [{ purchase, status: 'REJECTED', reason }]);
      });
      waiting.fail(new RocketMQNonRetriableError(`flash-sale request ${purchase.requestId} rejected and dead-lettered: ${reason}`, { cause }));
    } catch (error) {
      waiting.fail(error);
    }
  }
}
