import { Logger } from '@nestjs/common';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { inventoryPriceSnapshotsGroup, priceSnapshotRequested } from '@rocketmq-shop/contracts';
import { RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PriceSnapshotRequestsHandler } from './price-snapshot-requests.handler';
import type { PricingService } from './pricing.service';

function handlerWith(republishCurrentPrices: () => Promise<number>): PriceSnapshotRequestsHandler {
  return new PriceSnapshotRequestsHandler({ republishCurrentPrices } as unknown as PricingService);
}

describe('PriceSnapshotRequestsHandler', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('consumes snapshot requests as the one group of contracts, shared by all inventory instances', () => {
    const method = PriceSnapshotRequestsHandler.prototype.onPriceSnapshotRequested;
    expect(Reflect.getMetadata(PATTERN_METADATA, method)).toEqual([priceSnapshotRequested.topic]);
    expect(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method)).toMatchObject({ group: inventoryPriceSnapshotsGroup.name });
  });

  it('republishes every current price for a valid request', async () => {
    const republish = vi.fn(async () => 5);
    await handlerWith(republish).onPriceSnapshotRequested({ requestedBy: 'price-cache-2', requestedAt: '2026-11-22T10:00:00.000Z' });
    expect(republish).toHaveBeenCalledOnce();
  });

  it('dead-letters an invalid request at once, republishing nothing', async () => {
    const republish = vi.fn(async () => 5);
    await expect(handlerWith(republish).onPriceSnapshotRequested({ requestedBy: 'price-cache-2' })).rejects.toThrow(RocketMQNonRetriableError);
    expect(republish).not.toHaveBeenCalled();
  });
});
