import type { PriceChanged } from '@rocketmq-shop/contracts';
import { describe, expect, it } from 'vitest';
import { PriceCache } from './price-cache';

const change = (sku: string, version: number, priceCents: number): PriceChanged => ({
  sku,
  version,
  priceCents,
  changedAt: `2026-11-22T10:00:0${version}.000Z`,
});

describe('PriceCache', () => {
  it('is empty, and not warm, until the first change', () => {
    const cache = new PriceCache();
    expect(cache.get('SKU-1')).toBeUndefined();
    expect(cache.summary()).toEqual({ entries: 0, version: 0, lastAppliedAt: null, warm: false });
  });

  it('applies a newer version and reports when', () => {
    const cache = new PriceCache(() => new Date('2026-11-22T12:00:00.000Z'));
    expect(cache.apply(change('SKU-1', 1, 1000))).toBe('applied');
    expect(cache.apply(change('SKU-1', 2, 1200))).toBe('applied');
    expect(cache.get('SKU-1')).toEqual({ sku: 'SKU-1', priceCents: 1200, version: 2, changedAt: '2026-11-22T10:00:02.000Z' });
    expect(cache.summary()).toEqual({ entries: 1, version: 2, lastAppliedAt: '2026-11-22T12:00:00.000Z', warm: true });
  });

  it('ignores a duplicate delivery', () => {
    const cache = new PriceCache();
    cache.apply(change('SKU-1', 3, 1500));
    const before = cache.summary();
    expect(cache.apply(change('SKU-1', 3, 1500))).toBe('stale');
    expect(cache.summary()).toEqual(before);
  });

  it('ignores a change older than the cached one, even with another price', () => {
    const cache = new PriceCache();
    cache.apply(change('SKU-1', 5, 900));
    expect(cache.apply(change('SKU-1', 4, 700))).toBe('stale');
    expect(cache.get('SKU-1')?.priceCents).toBe(900);
  });

  it('converges on the latest version whatever the delivery order', () => {
    const history = [change('SKU-1', 1, 100), change('SKU-1', 2, 200), change('SKU-1', 3, 300), change('SKU-2', 1, 50)];
    const orders = [history, [...history].reverse(), [history[2], history[0], history[3], history[1], history[2]]];
    for (const order of orders) {
      const cache = new PriceCache();
      for (const event of order) cache.apply(event);
      expect(cache.get('SKU-1')?.priceCents).toBe(300);
      expect(cache.get('SKU-2')?.priceCents).toBe(50);
      expect(cache.summary()).toMatchObject({ entries: 2, version: 3 });
    }
  });

  it('keeps versions per SKU: a low version of one SKU is new for another', () => {
    const cache = new PriceCache();
    cache.apply(change('SKU-1', 7, 700));
    expect(cache.apply(change('SKU-2', 1, 100))).toBe('applied');
    expect(cache.summary()).toMatchObject({ entries: 2, version: 7 });
  });
});
