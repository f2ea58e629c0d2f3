import { type OrderCreated, orderCreatedNotice, orderLifecycle, parseEvent } from '@rocketmq-shop/contracts';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import type { EntityManager } from 'typeorm';
import { type OrderState, lifecycleStatusOf } from './order-state';

export interface OrderChange {
  orderId: string;
  userId: string;
  version: number;
  state: OrderState;
  occurredAt: Date;
  reason?: string;
}

/**
 * Queues the order-lifecycle event of a change in the transaction that makes it. The user id is the
 * message group: a user's order events arrive in the order they happened (FIFO per user), and the
 * per-order version lets consumers drop anything older than what they have applied.
 */
export async function announceOrderChange(manager: EntityManager, change: OrderChange): Promise<void> {
  const event = parseEvent(orderLifecycle, {
    orderId: change.orderId,
    userId: change.userId,
    version: change.version,
    status: lifecycleStatusOf(change.state),
    occurredAt: change.occurredAt.toISOString(),
    reason: change.reason,
  });
  await enqueueOutbox(manager, orderLifecycle.topic, event, { tag: event.status, messageGroup: event.userId, keys: [event.orderId] });
}

/** Queues the function-trigger scenario's OrderCreated notice in the transaction that creates the order. */
export async function announceOrderCreated(manager: EntityManager, order: OrderCreated): Promise<void> {
  const notice = parseEvent(orderCreatedNotice, { eventType: 'OrderCreated', orderId: order.orderId, customerId: order.userId, items: order.items, timestamp: order.createdAt });
  await enqueueOutbox(manager, orderCreatedNotice.topic, notice, { tag: notice.eventType, keys: [notice.orderId] });
}
