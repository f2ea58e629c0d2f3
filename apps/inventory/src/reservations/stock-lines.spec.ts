import { describe, expect, it } from 'vitest';
import { normalizeLines } from './stock-lines';

describe('normalizeLines', () => {
  it('adds up repeated SKUs and sorts by SKU so that row locks are always taken in one order', () => {
    expect(
      normalizeLines([
        { sku: 'MUG-CLASSIC', quantity: 1 },
        { sku: 'BOOK-MQ', quantity: 2 },
        { sku: 'MUG-CLASSIC', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'BOOK-MQ', quantity: 2 },
      { sku: 'MUG-CLASSIC', quantity: 4 },
    ]);
  });
});
