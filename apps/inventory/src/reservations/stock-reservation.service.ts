import { Injectable } from '@nestjs/common';
import { type ConsumerGroup, parseEvent, type StockResult, stockResult } from '@rocketmq-shop/contracts';
import { consumeOnce } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { Product } from '../catalog/product.entity';
import { StockDecision, type StockLine, type StockRequestKind } from './stock-decision.entity';
import { normalizeLines } from './stock-lines';

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
   */
  async decide(group: ConsumerGroup, request: StockRequest): Promise<StockResult | undefined> {
    const outcome = await consumeOnce(this.dataSource, group.name, request.requestId, (manager) => this.decideIn(manager, request));
    return outcome.duplicate ? undefined : outcome.result;
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
        await manager.createQueryBuilder().update(Product).set({ stock: () => 'stock + :quantity' }).where('sku = :sku', { sku: line.sku, quantity: line.quantity }).execute();
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
    const decidedAt = new Date();
    const status = shortage === undefined ? 'RESERVED' : 'REJECTED';
    await manager.insert(StockDecision, { requestId: request.requestId, kind: request.kind, lines, status, reason: shortage ?? null, decidedAt });
    const result = parseEvent(stockResult, {
      requestId: request.requestId,
      kind: request.kind,
      skus: lines.map((line) => line.sku),
      status,
      reason: shortage,
      decidedAt: decidedAt.toISOString(),
    });
    await enqueueOutbox(manager, stockResult.topic, result, { tag: result.status, keys: [request.requestId] });
    return result;
  }

  /**
   * Takes each line with a conditional UPDATE (`stock >= quantity`), which cannot oversell however many
   * reservations race: the row lock serialises them and the condition is re-checked on the locked row.
   * Returns why the request cannot be served, with nothing taken; undefined when everything was taken.
   */
  private async takeStock(manager: EntityManager, lines: StockLine[]): Promise<string | undefined> {
    try {
      await manager.transaction(async (savepoint) => {
        for (const line of lines) {
          const taken = await savepoint
            .createQueryBuilder()
            .update(Product)
            .set({ stock: () => 'stock - :quantity' })
            .where('sku = :sku AND stock >= :quantity', { sku: line.sku, quantity: line.quantity })
            .execute();
          if (!taken.affected) throw new Shortage(await this.shortageReason(savepoint, line));
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
