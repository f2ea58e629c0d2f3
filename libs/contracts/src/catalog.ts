import {
  inventoryOrderCancellationsGroup,
  inventoryOrdersGroup,
  inventoryPriceSnapshotsGroup,
  inventoryPurchasesGroup,
  notificationContactsGroup,
  notificationEmailGroup,
  notificationOrdersGroup,
  notificationSmsGroup,
  orderStockResultsGroup,
  type ConsumerGroup,
} from './consumer-groups';
import type { EventContract, MessageType } from './define-event';
import { stockLevel, stockResult } from './inventory';
import { orderCreated, orderCreatedNotice, orderLifecycle, purchaseRequested } from './orders';
import { priceChanged, priceSnapshotRequested } from './pricing';
import { userLifecycle, userRegistered } from './users';

// The one list the broker configuration and the docs are generated from.

export const ALL_EVENTS: readonly EventContract[] = [
  userRegistered,
  userLifecycle,
  orderCreated,
  orderCreatedNotice,
  orderLifecycle,
  purchaseRequested,
  stockResult,
  stockLevel,
  priceChanged,
  priceSnapshotRequested,
];

/** Groups known before start-up; per-instance broadcast groups are created by their replicas. */
export const STATIC_CONSUMER_GROUPS: readonly ConsumerGroup[] = [
  notificationEmailGroup,
  notificationSmsGroup,
  notificationContactsGroup,
  notificationOrdersGroup,
  inventoryOrdersGroup,
  inventoryOrderCancellationsGroup,
  inventoryPurchasesGroup,
  inventoryPriceSnapshotsGroup,
  orderStockResultsGroup,
];

export interface BrokerTopic {
  name: string;
  type: MessageType;
  queues: number;
}

/** The `topics` section of the broker's configuration file. */
export function brokerTopics(events: readonly EventContract[] = ALL_EVENTS): BrokerTopic[] {
  return events.map((event) => ({ name: event.topic, type: event.messageType, queues: event.queues }));
}

export interface BrokerGroup {
  name: string;
  fifo: boolean;
}

/** The `groups` section of the broker's configuration file (a FIFO group must be declared FIFO there). */
export function brokerGroups(groups: readonly ConsumerGroup[] = STATIC_CONSUMER_GROUPS): BrokerGroup[] {
  return groups.map((group) => ({ name: group.name, fifo: group.fifo }));
}
