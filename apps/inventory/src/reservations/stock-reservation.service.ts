import { Injectable } from '@nestjs/common';
import { type ConsumerGroup, parseEvent, type StockResult, stockResult } from '@rocketmq-shop/contracts';
import { RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';
import { consumeOnce } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { Product } from '../catalog/product.entity';
import { announceStockLevel, changeStock } from '../catalog/stock-levels';
import { StockDecision, type StockLine, type StockRequestKind } from './stock-decision.entity';
import { normalizeLines } from './stock-lines';
import { unappliableReason } from './unappliable';

export interface StockRequest {
  requestId: string;
  kind: StockRequestKind;
  lines: readonly StockLine[];
}

/** Thrown inside the savepoint to undo the lines already taken when a later line cannot be served. */
class Shortage extends Error {}

@Injectable()
export class StockReservationService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Reserves every line or none, records the decision and queues its stock-results event, all in one
   * transaction with the consumer's processed-message row: a redelivered request (same request id)
   * changes nothing and answers undefined.
   *
   * A request Postgres can never apply (a quantity beyond the column's range, say) would fail on every
   * retry: it is answered REJECTED with the reason, so its order or purchase is decided, and then
   * dead-lettered with the same reason for someone to look at.
   */
  async decide(group: ConsumerGroup, request: StockRequest): Promise<StockResult | undefined> {
    try {
      const outcome = await consumeOnce(this.dataSource, group.name, request.requestId, (manager) => this.decideIn(manager, request));
      return outcome.duplicate ? undefined : outcome.result;
    } catch (error) {
      const why = unappliableReason(error);
      if (why === undefined) throw error;
      const reason = `cannot apply: ${why}`.slice(0, 500);
      await consumeOnce(this.dataSource, group.name, request.requestId, (manager) => this.record(manager, request, request.lines, 'REJECTED', reason));
      throw new RocketMQNonRetriableError(`${request.kind} request ${request.requestId} rejected and dead-lettered: ${reason}`, { cause: error });
    }
  }

  /**
   * A cancelled order gives its reserved stock back, once. If inventory has not decided on the order
   * yet (its order-created message is still on its way), a REJECTED decision is recorded first, so the
   * late message finds the order decided and takes nothing.
   */
  async releaseCancelled(group: ConsumerGroup, messageKey: string, orderId: string): Promise<'released' | 'pre-empted' | 'nothing held' | 'duplicate'> {
    const outcome = await consumeOnce(this.dataSource, group.name, messageKey, async (manager) => {
      const decision = await manager.findOne(StockDecision, { where: { requestId: orderId }, lock: { mode: 'pessimistic_write' } });
      if (!decision) {
        const reason = 'order cancelled before inventory decided';
        await manager.insert(StockDecision, { requestId: orderId, kind: 'order', lines: [], status: 'REJECTED', reason, decidedAt: new Date() });
        return 'pre-empted' as const;
      }
      if (decision.status !== 'RESERVED' || decision.releasedAt) return 'nothing held' as const;
      for (const line of decision.lines) {
        const change = await changeStock(manager, (update) =>
          update.set({ stock: () => 'stock + :quantity', stockVersion: () => 'stock_version + 1' }).where('sku = :sku', { sku: line.sku, quantity: line.quantity }),
        );
        // Stock given back may reopen a sold-out sale: the order replicas' gates must hear it.
        if (change) await announceStockLevel(manager, change);
      }
      await manager.update(StockDecision, { requestId: orderId }, { releasedAt: new Date() });
      return 'released' as const;
    });
    return outcome.duplicate ? 'duplicate' : outcome.result;
  }

  private async decideIn(manager: EntityManager, request: StockRequest): Promise<StockResult | undefined> {
    // Decided already: the order was cancelled before its order-created message arrived (see releaseCancelled).
    if (await manager.existsBy(StockDecision, { requestId: request.requestId })) return undefined;
    const lines = normalizeLines(request.lines);
    const shortage = await this.takeStock(manager, lines);
    return this.record(manager, request, lines, shortage === undefined ? 'RESERVED' : 'REJECTED', shortage);
  }

  /** The decision row and its stock-results event, in the caller's transaction. */
  private async record(manager: EntityManager, request: StockRequest, lines: readonly StockLine[], status: StockResult['status'], reason: string | undefined): Promise<StockResult> {
    const decidedAt = new Date();
    await manager.insert(StockDecision, { requestId: request.requestId, kind: request.kind, lines: [...lines], status, reason: reason ?? null, decidedAt });
    const result = parseEvent(stockResult, {
      requestId: request.requestId,
      kind: request.kind,
      skus: lines.map((line) => line.sku),
      status,
      reason,
      decidedAt: decidedAt.toISOString(),
    });
    await enqueueOutbox(manager, stockResult.topic, result, { tag: result.status, keys: [request.requestId] });
    return result;
  }

  /**
   * Takes each line with a conditional UPDATE (`stock >= quantity`), which cannot oversell however many
   * reservations race: the row lock serialises them and the condition is re-checked on the locked row.
   * Returns why the request cannot be served, with nothing taken; undefined when everything was taken.
   * The reservation that takes the last unit announces the sell-out to every order replica.
   */
  private async takeStock(manager: EntityManager, lines: StockLine[]): Promise<string | undefined> {
    try {
      await manager.transaction(async (savepoint) => {
        for (const line of lines) {
          const taken = await changeStock(savepoint, (update) =>
            update.set({ stock: () => 'stock - :quantity', stockVersion: () => 'stock_version + 1' }).where('sku = :sku AND stock >= :quantity', { sku: line.sku, quantity: line.quantity }),
          );
          if (!taken) throw new Shortage(await this.shortageReason(savepoint, line));
          if (taken.stock === 0) await announceStockLevel(savepoint, taken);
        }
      });
      return undefined;
    } catch (error) {
      if (error instanceof Shortage) return error.message;
      throw error;
    }
  }

  private async shortageReason(manager: EntityManager, line: StockLine): Promise<string> {
    const product = await manager.findOneBy(Product, { sku: line.sku });
    if (!product) return `unknown sku ${line.sku}`;
    return `out of stock: ${line.sku} has ${product.stock}, ${line.quantity} requested`;
  }
}
