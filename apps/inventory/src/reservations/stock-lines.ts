import type { StockLine } from './stock-decision.entity';

/**
 * One line per SKU (quantities of repeated SKUs added up), in SKU order: two reservations that lock
 * the same rows always lock them in the same order, so they cannot deadlock.
 */
export function normalizeLines(lines: readonly StockLine[]): StockLine[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of lines) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}
