import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { PriceCache } from './price-cache';
import { PricesController } from './prices.controller';

describe('PricesController', () => {
  const cache = new PriceCache(() => new Date('2026-11-22T12:00:00.000Z'));
  const controller = new PricesController(cache, 'price-cache-2');

  it('answers 404 for a SKU no change has reached yet', () => {
    expect(() => controller.price('SKU-9')).toThrow(NotFoundException);
  });

  it('serves the cached price and names the replica that served it', () => {
    cache.apply({ sku: 'SKU-1', priceCents: 1250, version: 4, changedAt: '2026-11-22T11:59:00.000Z' });
    expect(controller.price('SKU-1')).toEqual({ sku: 'SKU-1', priceCents: 1250, version: 4, servedBy: 'price-cache-2' });
    expect(controller.state()).toEqual({ instanceId: 'price-cache-2', entries: 1, version: 4, lastAppliedAt: '2026-11-22T12:00:00.000Z', warm: true });
  });

  it('lists every price it holds, by SKU', () => {
    cache.apply({ sku: 'SKU-0', priceCents: 990, version: 2, changedAt: '2026-11-22T11:58:00.000Z' });
    expect(controller.prices()).toEqual([
      { sku: 'SKU-0', priceCents: 990, version: 2, servedBy: 'price-cache-2' },
      { sku: 'SKU-1', priceCents: 1250, version: 4, servedBy: 'price-cache-2' },
    ]);
  });
});
