import { describe, expect, it } from 'vitest';
import { SpanCache } from './span-cache';

const bytes = (start: number, length: number) => Buffer.from(Array.from({ length }, (_, i) => (start + i) % 256));

describe('SpanCache', () => {
  it('answers a record lying wholly inside a cached span, with its own bytes', () => {
    const cache = new SpanCache(1000);
    cache.put(100, bytes(100, 200));
    expect(cache.get(150, 10)).toEqual(bytes(150, 10));
    expect(cache.get(100, 200)).toEqual(bytes(100, 200));
    expect(cache.get(290, 20)).toBeUndefined(); // runs past the end
    expect(cache.get(90, 20)).toBeUndefined(); // starts before
  });

  it('keeps at most its budget, dropping the oldest spans first, and never a span larger than the budget', () => {
    const cache = new SpanCache(250);
    cache.put(0, bytes(0, 100));
    cache.put(100, bytes(100, 100));
    cache.put(200, bytes(200, 100));
    expect(cache.get(0, 10)).toBeUndefined();
    expect(cache.get(150, 10)).toEqual(bytes(150, 10));
    expect(cache.get(250, 10)).toEqual(bytes(250, 10));
    cache.put(1000, bytes(1000, 300));
    expect(cache.get(1000, 10)).toBeUndefined();
  });

  it('forgets spans below a position that retention removed', () => {
    const cache = new SpanCache(1000);
    cache.put(0, bytes(0, 100));
    cache.put(100, bytes(100, 100));
    cache.dropBelow(100);
    expect(cache.get(50, 10)).toBeUndefined();
    expect(cache.get(150, 10)).toEqual(bytes(150, 10));
  });
});
