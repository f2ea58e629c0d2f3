import { z } from 'zod';
import { defineEvent, type EventPayload } from './define-event';
import { entityId, reason, sku, timestamp } from './fields';

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
