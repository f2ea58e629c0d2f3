import { z } from 'zod';
import { defineEvent, type EventPayload } from './define-event';
import { cents, entityId, quantity, reason, saleId, sku, timestamp, version } from './fields';

// Ordering context: the order service publishes orders and admits flash-sale purchase requests.

/** Sent as a transactional half message, committed only when the order row is committed. */
export const orderCreated = defineEvent({
  topic: 'order-created',
  messageType: 'TRANSACTION',
  schema: z.object({
    orderId: entityId,
    userId: entityId,
    items: z.array(z.object({ sku, quantity })).min(1),
    totalCents: cents,
    createdAt: timestamp,
  }),
});
export type OrderCreated = EventPayload<typeof orderCreated>;

/**
 * The function-trigger scenario's event: a plain NORMAL message per created order on
 * `message-processing`, for functions invoked over HTTP by apps/trigger (the shape of the ApsaraMQ →
 * Function Compute walkthrough; the order service has no prices, so it carries items, not an amount).
 * Published through the outbox in the order's own transaction.
 */
export const orderCreatedNotice = defineEvent({
  topic: 'message-processing',
  messageType: 'NORMAL',
  tags: ['OrderCreated'],
  tagOf: () => 'OrderCreated' as const,
  schema: z.object({
    eventType: z.literal('OrderCreated'),
    orderId: entityId,
    customerId: entityId,
    items: z.array(z.object({ sku, quantity })).min(1),
    timestamp,
  }),
});
export type OrderCreatedNotice = EventPayload<typeof orderCreatedNotice>;

export const ORDER_STATUSES = ['CREATED', 'PAID', 'CANCELLED', 'CONFIRMED', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Ordered per user (not per order), so a user's orders read as one consistent history. */
export const orderLifecycle = defineEvent({
  topic: 'order-lifecycle',
  messageType: 'FIFO',
  tags: ORDER_STATUSES,
  tagOf: (event) => event.status,
  messageGroupOf: (event) => event.userId,
  schema: z.object({
    orderId: entityId,
    userId: entityId,
    version,
    status: z.enum(ORDER_STATUSES),
    occurredAt: timestamp,
    reason: reason.optional(),
  }),
});
export type OrderLifecycleEvent = EventPayload<typeof orderLifecycle>;

/** Flash-sale peak shaving: the HTTP handler only enqueues; inventory drains at a capped rate. */
export const purchaseRequested = defineEvent({
  topic: 'purchase-requests',
  messageType: 'NORMAL',
  schema: z.object({
    requestId: entityId,
    saleId,
    sku,
    userId: entityId,
    quantity,
    requestedAt: timestamp,
  }),
});
export type PurchaseRequested = EventPayload<typeof purchaseRequested>;
