import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ALL_EVENTS,
  InvalidEventError,
  STATIC_CONSUMER_GROUPS,
  inventoryOrderCancellationsGroup,
  assertValidName,
  brokerGroups,
  brokerTopics,
  defineEvent,
  inventoryPriceSnapshotsGroup,
  notificationContactsGroup,
  notificationOrdersGroup,
  orderCreated,
  orderCreatedNotice,
  orderLifecycle,
  parseEvent,
  priceCacheBroadcastGroup,
  priceChanged,
  priceSnapshotRequested,
  purchaseRequested,
  INT4_MAX,
  orderStockLevelsBroadcastGroup,
  stockLevel,
  stockResult,
  userLifecycle,
  userRegistered,
  type EventContract,
} from '../src';

const userId = randomUUID();
const now = new Date().toISOString();
const profile = { email: 'ada@example.com', phone: '+4915112345678', name: 'Ada' };

/** One valid payload per contract; the table doubles as a check that every contract is exercised. */
const validPayloads = new Map<EventContract, unknown>([
  [userRegistered, { userId, ...profile, registeredAt: now }],
  [userLifecycle, { userId, version: 1, type: 'CREATED', occurredAt: now, profile }],
  [orderCreated, { orderId: randomUUID(), userId, items: [{ sku: 'SKU-1', quantity: 2 }], totalCents: 1998, createdAt: now }],
  [orderCreatedNotice, { eventType: 'OrderCreated', orderId: randomUUID(), customerId: userId, items: [{ sku: 'SKU-1', quantity: 2 }], timestamp: now }],
  [orderLifecycle, { orderId: randomUUID(), userId, version: 3, status: 'REJECTED', occurredAt: now, reason: 'out of stock' }],
  [purchaseRequested, { requestId: randomUUID(), saleId: 'sale-1', sku: 'SKU-1', userId, quantity: 1, requestedAt: now }],
  [stockResult, { requestId: randomUUID(), kind: 'flash-sale', skus: ['SKU-1'], status: 'RESERVED', decidedAt: now }],
  [stockLevel, { sku: 'SKU-1', available: 0, version: 12, changedAt: now }],
  [priceChanged, { sku: 'SKU-1', priceCents: 0, version: 7, changedAt: now }],
  [priceSnapshotRequested, { requestedBy: 'price-cache-1', requestedAt: now }],
]);

describe('event contracts', () => {
  it('has a valid example for every contract', () => {
    expect(new Set(validPayloads.keys())).toEqual(new Set(ALL_EVENTS));
  });

  it.each([...validPayloads])('accepts a valid %s payload', (contract, payload) => {
    expect(parseEvent(contract, payload)).toEqual(payload);
  });

  it('accepts timestamps with an offset from non-JavaScript producers', () => {
    const payload = { sku: 'SKU-1', priceCents: 100, version: 1, changedAt: '2026-11-22T10:00:00+08:00' };
    expect(parseEvent(priceChanged, payload).changedAt).toBe(payload.changedAt);
  });

  it('rejects a poison message with every issue listed', () => {
    const bad = { userId: 'not-a-uuid', email: 'nope', phone: '123', name: '', registeredAt: 'yesterday' };
    const error = catchError(() => parseEvent(userRegistered, bad));
    expect(error).toBeInstanceOf(InvalidEventError);
    const invalid = error as InvalidEventError;
    expect(invalid.topic).toBe('user-registered');
    expect(invalid.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['email', 'name', 'phone', 'registeredAt', 'userId']);
    expect(invalid.message).toMatch(/^invalid user-registered event: userId: .*; email: /);
  });

  it.each([null, 'a string', 42, []])('rejects a non-object body %j', (body) => {
    expect(() => parseEvent(priceChanged, body)).toThrow(InvalidEventError);
  });

  it('rejects quantities below one, negative prices and version 0', () => {
    const order = { ...(validPayloads.get(orderCreated) as object), items: [{ sku: 'SKU-1', quantity: 0 }] };
    expect(() => parseEvent(orderCreated, order)).toThrow(/items\.0\.quantity/);
    expect(() => parseEvent(priceChanged, { sku: 'S', priceCents: -1, version: 1, changedAt: now })).toThrow(/priceCents/);
    expect(() => parseEvent(userLifecycle, { userId, version: 0, type: 'DELETED', occurredAt: now })).toThrow(/version/);
  });

  it('rejects integers beyond the int columns they are stored in, and NUL characters in text', () => {
    const purchase = validPayloads.get(purchaseRequested) as object;
    expect(parseEvent(purchaseRequested, { ...purchase, quantity: INT4_MAX }).quantity).toBe(INT4_MAX);
    expect(() => parseEvent(purchaseRequested, { ...purchase, quantity: INT4_MAX + 1 })).toThrow(/quantity/);
    expect(() => parseEvent(priceChanged, { sku: 'S', priceCents: 99_999_999_999, version: 1, changedAt: now })).toThrow(/priceCents/);
    expect(() => parseEvent(stockLevel, { sku: 'S', available: 2_147_483_648, version: 1, changedAt: now })).toThrow(/available/);
    expect(() => parseEvent(purchaseRequested, { ...purchase, saleId: 'sale\u0000-1' })).toThrow(/saleId: must not contain NUL/);
    expect(() => parseEvent(userRegistered, { userId, ...profile, name: 'A\u0000da', registeredAt: now })).toThrow(/name/);
  });

  it('rejects a snapshot request that does not say who asks or when', () => {
    expect(() => parseEvent(priceSnapshotRequested, { requestedBy: '', requestedAt: now })).toThrow(/requestedBy/);
    expect(() => parseEvent(priceSnapshotRequested, { requestedBy: 'price-cache-1' })).toThrow(/requestedAt/);
  });

  it('requires the profile on CREATED and UPDATED lifecycle events but not on DELETED', () => {
    expect(() => parseEvent(userLifecycle, { userId, version: 2, type: 'UPDATED', occurredAt: now })).toThrow(/profile/);
    expect(parseEvent(userLifecycle, { userId, version: 3, type: 'DELETED', occurredAt: now }).type).toBe('DELETED');
  });

  it('derives tags and message groups from the payload', () => {
    const lifecycle = parseEvent(userLifecycle, validPayloads.get(userLifecycle));
    expect(userLifecycle.tagOf?.(lifecycle)).toBe('CREATED');
    expect(userLifecycle.messageGroupOf(lifecycle)).toBe(userId);
    const order = parseEvent(orderLifecycle, validPayloads.get(orderLifecycle));
    expect(orderLifecycle.tagOf?.(order)).toBe('REJECTED');
    expect(orderLifecycle.messageGroupOf(order)).toBe(userId);
  });

  it('gives a message group to FIFO topics and only to them', () => {
    for (const contract of ALL_EVENTS) {
      expect(contract.messageGroupOf !== undefined, contract.topic).toBe(contract.messageType === 'FIFO');
    }
  });
});

describe('names', () => {
  it.each(['user-registered', 'a', 'A_b-9', 'x'.repeat(60)])('accepts %s', (name) => {
    expect(assertValidName('topic', name)).toBe(name);
  });

  it.each(['', 'a.b', 'a:b', '%DLQ%x', 'has space', 'x'.repeat(61)])('rejects %j', (name) => {
    expect(() => assertValidName('topic', name)).toThrow(/invalid topic name/);
  });

  it('refuses to define a contract with a bad topic or tag, or tags without tagOf', () => {
    const schema = z.object({});
    expect(() => defineEvent({ topic: 'orders.v1', messageType: 'NORMAL', schema })).toThrow(/invalid topic name/);
    expect(() => defineEvent({ topic: 'ok', messageType: 'NORMAL', schema, tags: ['a|b'], tagOf: () => 'a|b' })).toThrow(/invalid tag name/);
    expect(() => defineEvent({ topic: 'ok', messageType: 'NORMAL', schema, tags: ['A'] })).toThrow(/tags and tagOf together/);
    expect(() => defineEvent({ topic: 'ok', messageType: 'NORMAL', schema, queues: 0 })).toThrow(/queues/);
  });

  it('makes the message group mandatory on FIFO topics and forbidden elsewhere, at compile time', () => {
    const schema = z.object({ userId: z.string() });
    // @ts-expect-error a FIFO topic needs messageGroupOf
    defineEvent({ topic: 'fifo-without-group', messageType: 'FIFO', schema });
    // @ts-expect-error a NORMAL topic cannot have one
    defineEvent({ topic: 'normal-with-group', messageType: 'NORMAL', schema, messageGroupOf: (event) => event.userId });
  });

  it('builds a broadcast group per price-cache instance and rejects ids that would break the name', () => {
    const group = priceCacheBroadcastGroup('host-a-1234');
    expect(group).toEqual({ name: 'price-cache-bcast-host-a-1234', topic: priceChanged, fifo: false });
    expect(() => priceCacheBroadcastGroup('pod.example.com')).toThrow(/invalid consumer group name/);
    expect(() => priceCacheBroadcastGroup('x'.repeat(43))).toThrow(/invalid consumer group name/);
  });

  it('builds a broadcast group per order replica on stock-levels, for the sold-out gate', () => {
    expect(orderStockLevelsBroadcastGroup('order-2')).toEqual({ name: 'order-stock-bcast-order-2', topic: stockLevel, fifo: false });
  });
});

describe('broker configuration', () => {
  it('lists every topic once with its message type and queues', () => {
    const topics = brokerTopics();
    expect(topics.map((topic) => topic.name).sort()).toEqual(ALL_EVENTS.map((event) => event.topic).sort());
    expect(new Set(topics.map((topic) => topic.name)).size).toBe(topics.length);
    expect(topics).toContainEqual({ name: 'user-registered', type: 'TRANSACTION', queues: 8 });
    expect(topics).toContainEqual({ name: 'user-lifecycle', type: 'FIFO', queues: 8 });
    expect(topics).toContainEqual({ name: 'purchase-requests', type: 'NORMAL', queues: 8 });
    expect(topics).toContainEqual({ name: 'price-snapshot-requests', type: 'NORMAL', queues: 8 });
  });

  it('declares the snapshot requests group up front, so a request waits for inventory even before it ever ran', () => {
    expect(inventoryPriceSnapshotsGroup.topic).toBe(priceSnapshotRequested);
    expect(brokerGroups()).toContainEqual({ name: 'inventory-price-snapshots', fifo: false });
  });

  it('declares the groups of FIFO topics as FIFO groups, and subscribes only to known topics', () => {
    const fifoGroups = brokerGroups().filter((group) => group.fifo);
    expect(fifoGroups.map((group) => group.name).sort()).toEqual([inventoryOrderCancellationsGroup.name, notificationContactsGroup.name, notificationOrdersGroup.name]);
    for (const group of STATIC_CONSUMER_GROUPS) expect(ALL_EVENTS).toContain(group.topic);
    expect(STATIC_CONSUMER_GROUPS.map((group) => group.name).sort()).toEqual([
      'inventory-order-cancellations',
      'inventory-orders',
      'inventory-price-snapshots',
      'inventory-purchases',
      'notification-contacts',
      'notification-email',
      'notification-orders',
      'notification-sms',
      'order-stock-results',
    ]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
