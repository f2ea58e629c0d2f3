import { type StockLevel, parseEvent, stockLevel } from '@rocketmq-shop/contracts';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import { type EntityManager, type ObjectLiteral, type UpdateQueryBuilder } from 'typeorm';
import { Product } from './product.entity';

export interface StockChange {
  sku: string;
  stock: number;
  stockVersion: number;
}

/**
 * Applies a stock UPDATE built by the caller (what to set, which row) and bumps the SKU's stock
 * version with it; answers the row's new stock and version, or undefined when no row matched.
 */
export async function changeStock(manager: EntityManager, update: (builder: UpdateQueryBuilder<Product>) => UpdateQueryBuilder<Product>): Promise<StockChange | undefined> {
  const builder = manager.createQueryBuilder().update(Product);
  const result = await update(builder).returning(['sku', 'stock', 'stockVersion']).execute();
  const row = (result.raw as ObjectLiteral[])[0] as { sku: string; stock: number; stock_version: number } | undefined;
  return row && { sku: row.sku, stock: row.stock, stockVersion: row.stock_version };
}

/**
 * Tells every order replica the SKU's stock (stock-levels, broadcast), in the caller's transaction:
 * the sold-out gate learns a sell-out, a restock or a give-back only if it committed (ADR 0011).
 * Answers the event, for a caller that also publishes it at once after the commit (ADR 0014).
 */
export async function announceStockLevel(manager: EntityManager, change: StockChange): Promise<StockLevel> {
  const event = parseEvent(stockLevel, { sku: change.sku, available: change.stock, version: change.stockVersion, changedAt: new Date().toISOString() });
  await enqueueOutbox(manager, stockLevel.topic, event, { keys: [event.sku] });
  return event;
}
