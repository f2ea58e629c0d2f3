import { describe, expect, it } from 'vitest';
import { SoldOutGate } from './sold-out-gate';

const level = (sku: string, available: number, version: number) => ({ sku, available, version, changedAt: '2026-11-30T10:00:00.000Z' });

describe('SoldOutGate', () => {
  it('is open for a SKU it has heard nothing about: inventory decides', () => {
    expect(new SoldOutGate().refuses('sale-1', 'FLASH-001', 1)).toBe(false);
  });

  it('refuses more than the known stock and counts refusals per sale', () => {
    const gate = new SoldOutGate();
    gate.apply(level('FLASH-001', 1, 5));
    expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(false);
    expect(gate.refuses('sale-1', 'FLASH-001', 2)).toBe(true);
    gate.apply(level('FLASH-001', 0, 6));
    expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(true);
    expect(gate.refuses('sale-2', 'FLASH-001', 1)).toBe(true);
    expect([gate.refusedIn('sale-1'), gate.refusedIn('sale-2'), gate.refusedIn('sale-3')]).toEqual([2, 1, 0]);
  });

  it('keeps the newest level whatever order the events arrive in', () => {
    const gate = new SoldOutGate();
    expect(gate.apply(level('FLASH-001', 0, 9))).toBe('applied');
    expect(gate.apply(level('FLASH-001', 100, 8))).toBe('stale');
    expect(gate.apply(level('FLASH-001', 100, 9))).toBe('stale');
    expect(gate.available('FLASH-001')).toBe(0);
    expect(gate.apply(level('FLASH-001', 50, 10))).toBe('applied');
    expect(gate.available('FLASH-001')).toBe(50);
  });
});
