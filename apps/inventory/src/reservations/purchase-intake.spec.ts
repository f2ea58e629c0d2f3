import { describe, expect, it } from 'vitest';
import { DEFAULT_PURCHASE_INTAKE, purchaseIntakeFromEnv, slowdownFromEnv } from './purchase-intake';

describe('purchaseIntakeFromEnv', () => {
  it('defaults to 50 purchases per second, 4 at a time', () => {
    expect(purchaseIntakeFromEnv({})).toEqual(DEFAULT_PURCHASE_INTAKE);
    expect(DEFAULT_PURCHASE_INTAKE).toEqual({ ratePerSecond: 50, concurrency: 4 });
  });

  it('reads the rate (fractions allowed) and the concurrency', () => {
    expect(purchaseIntakeFromEnv({ INVENTORY_PURCHASE_RATE: '2.5', INVENTORY_PURCHASE_CONCURRENCY: '8' })).toEqual({ ratePerSecond: 2.5, concurrency: 8 });
  });

  it.each([
    ['INVENTORY_PURCHASE_RATE', '0'],
    ['INVENTORY_PURCHASE_RATE', 'fast'],
    ['INVENTORY_PURCHASE_RATE', 'Infinity'],
    ['INVENTORY_PURCHASE_CONCURRENCY', '1.5'],
    ['INVENTORY_PURCHASE_CONCURRENCY', '-1'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => purchaseIntakeFromEnv({ [name]: value })).toThrow(name);
  });
});

describe('slowdownFromEnv', () => {
  it('is 0 unless set, and accepts whole milliseconds only', () => {
    expect(slowdownFromEnv({})).toBe(0);
    expect(slowdownFromEnv({ INVENTORY_SLOWDOWN_MS: '250' })).toBe(250);
    expect(() => slowdownFromEnv({ INVENTORY_SLOWDOWN_MS: '-5' })).toThrow('INVENTORY_SLOWDOWN_MS');
  });
});
