import type { EventContract } from './define-event';
import { stockLevel, stockResult } from './inventory';
import { assertValidName } from './names';
import { orderCreated, orderLifecycle, purchaseRequested } from './orders';
import { priceChanged, priceSnapshotRequested } from './pricing';
import { userLifecycle, userRegistered } from './users';

/**
 * A consumer group and the one topic it subscribes to. RocketMQ requires every consumer of a group to
 * subscribe identically, so the subscription is part of the group's definition, not of each consumer.
 */
export interface ConsumerGroup {
  readonly name: string;
  readonly topic: EventContract;
  /** FIFO delivery is a property of the group on the broker, and only makes sense on a FIFO topic. */
  readonly fifo: boolean;
}

function consumerGroup(name: string, topic: EventContract): ConsumerGroup {
  return { name: assertValidName('consumer group', name), topic, fifo: topic.messageType === 'FIFO' };
}

// Notification: email and SMS are separate groups so each receives every registration independently.
export const notificationEmailGroup = consumerGroup('notification-email', userRegistered);
export const notificationSmsGroup = consumerGroup('notification-sms', userRegistered);
/** Keeps the notification service's copy of contact details in step with the user's history. */
export const notificationContactsGroup = consumerGroup('notification-contacts', userLifecycle);
/** Tells users about their orders, in the order each user's orders changed. */
export const notificationOrdersGroup = consumerGroup('notification-orders', orderLifecycle);

export const inventoryOrdersGroup = consumerGroup('inventory-orders', orderCreated);
export const inventoryPurchasesGroup = consumerGroup('inventory-purchases', purchaseRequested);
/** Gives back the stock of cancelled orders; FIFO like its topic, so a cancellation follows its order's earlier events. */
export const inventoryOrderCancellationsGroup = consumerGroup('inventory-order-cancellations', orderLifecycle);
export const orderStockResultsGroup = consumerGroup('order-stock-results', stockResult);
/** One group for all inventory instances: each snapshot request is answered once, not once per instance. */
export const inventoryPriceSnapshotsGroup = consumerGroup('inventory-price-snapshots', priceSnapshotRequested);

export const PRICE_CACHE_BROADCAST_PREFIX = 'price-cache-bcast-';

/**
 * RocketMQ 5 has no broadcast consumption over gRPC: each price-cache replica joins its own group, so
 * every replica receives every price change. The caller removes the group when the replica leaves.
 */
export function priceCacheBroadcastGroup(instanceId: string): ConsumerGroup {
  return consumerGroup(`${PRICE_CACHE_BROADCAST_PREFIX}${instanceId}`, priceChanged);
}

export const ORDER_STOCK_BROADCAST_PREFIX = 'order-stock-bcast-';

/** Each order replica's own group on stock-levels, so every replica learns every sell-out (broadcast, ADR 0006). */
export function orderStockLevelsBroadcastGroup(instanceId: string): ConsumerGroup {
  return consumerGroup(`${ORDER_STOCK_BROADCAST_PREFIX}${instanceId}`, stockLevel);
}
