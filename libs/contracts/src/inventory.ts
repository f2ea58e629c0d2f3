import { z } from 'zod';
import { defineEvent, type EventPayload } from './define-event';
import { entityId, reason, sku, storedCount, timestamp, version } from './fields';

// Inventory context: the inventory service answers order and flash-sale reservations.

export const STOCK_RESULT_STATUSES = ['RESERVED', 'REJECTED'] as const;

export const stockResult = defineEvent({
  topic: 'stock-results',
  messageType: 'NORMAL',
  tags: STOCK_RESULT_STATUSES,
  tagOf: (result) => result.status,
  schema: z.object({
    /** The order id (kind `order`) or the purchase request id (kind `flash-sale`). */
    requestId: entityId,
    kind: z.enum(['order', 'flash-sale']),
    skus: z.array(sku).min(1),
    status: z.enum(STOCK_RESULT_STATUSES),
    reason: reason.optional(),
    decidedAt: timestamp,
  }),
});
export type StockResult = EventPayload<typeof stockResult>;

/**
 * How many units of a SKU inventory has left, as of `version` (bumped with every stock change). Sent
 * when a SKU sells out and whenever stock is set or given back; every order replica consumes it by
 * broadcast and refuses purchases it knows cannot be served without touching Postgres or the broker
 * (the sold-out gate, ADR 0011). Replicas keep the highest version, so late or repeated events are harmless.
 */
export const stockLevel = defineEvent({
  topic: 'stock-levels',
  messageType: 'NORMAL',
  schema: z.object({ sku, available: storedCount, version, changedAt: timestamp }),
});
export type StockLevel = EventPayload<typeof stockLevel>;
