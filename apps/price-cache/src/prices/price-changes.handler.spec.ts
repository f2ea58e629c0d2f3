import { Logger } from '@nestjs/common';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { priceCacheBroadcastGroup, priceChanged } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';
import { beforeAll, describe, expect, it } from 'vitest';
import { PriceCache } from './price-cache';
import { PRICE_CACHE_GROUP, PriceChangesHandler } from './price-changes.handler';

const context = { getMessageId: () => 'msg-1' } as RocketMQContext;
const valid = { sku: 'SKU-1', priceCents: 1999, version: 2, changedAt: '2026-11-22T10:00:00.000Z' };

describe('PriceChangesHandler', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('subscribes to price-changes as a broadcast group that the transport names like contracts do', () => {
    const method = PriceChangesHandler.prototype.onPriceChanged;
    expect(Reflect.getMetadata(PATTERN_METADATA, method)).toEqual([priceChanged.topic]);
    const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method) as { group: string; broadcast: boolean };
    expect(extras).toMatchObject({ group: PRICE_CACHE_GROUP, broadcast: true });
    // The transport's broadcast rule (README: "group `<group>-<instanceId>`") must land on the contract's name.
    for (const instanceId of ['price-cache-1', 'price-cache-3', 'a-forty-character-instance-id-0123456789']) {
      expect(`${extras.group}-${instanceId}`).toBe(priceCacheBroadcastGroup(instanceId).name);
    }
  });

  it('applies a valid change once; a redelivery is a no-op', () => {
    const cache = new PriceCache();
    const handler = new PriceChangesHandler(cache);
    expect(handler.onPriceChanged(valid, context)).toBe('applied');
    expect(handler.onPriceChanged(valid, context)).toBe('stale');
    expect(cache.get('SKU-1')).toMatchObject({ priceCents: 1999, version: 2 });
  });

  it.each([
    ['a missing version', { ...valid, version: undefined }],
    ['a negative price', { ...valid, priceCents: -1 }],
    ['a non-JSON-object body', 'SKU-1=1999'],
  ])('dead-letters %s at once instead of retrying it', (_case, body) => {
    const cache = new PriceCache();
    const handler = new PriceChangesHandler(cache);
    expect(() => handler.onPriceChanged(body, context)).toThrow(RocketMQNonRetriableError);
    expect(cache.summary().entries).toBe(0);
  });
});
