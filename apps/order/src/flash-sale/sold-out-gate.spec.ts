import { describe, expect, it } from 'vitest';
import { SoldOutGate, type Reservation } from './sold-out-gate';

const level = (sku: string, available: number, version: number) => ({ sku, available, version, changedAt: '2026-11-30T10:00:00.000Z' });

/** A gate that heard `available` units of FLASH-001 at version 1. */
function gateWith(available: number): SoldOutGate {
  const gate = new SoldOutGate();
  gate.apply(level('FLASH-001', available, 1));
  return gate;
}

function reserveAll(gate: SoldOutGate, count: number, quantity = 1): (Reservation | 'wait' | undefined)[] {
  return Array.from({ length: count }, () => gate.reserve('sale-1', 'FLASH-001', quantity));
}

/** The reservations among `outcomes` (neither refused nor told to wait). */
function reserved(outcomes: (Reservation | 'wait' | undefined)[]): Reservation[] {
  return outcomes.filter((outcome): outcome is Reservation => typeof outcome === 'object');
}

/** Admissions that ended in 202: their units are taken. */
function takeAll(gate: SoldOutGate, outcomes: (Reservation | 'wait' | undefined)[]): void {
  for (const reservation of reserved(outcomes)) gate.settle(reservation, true);
}

describe('SoldOutGate', () => {
  it('is open for a SKU it has heard nothing about, and counts nothing for it: inventory decides', () => {
    const gate = new SoldOutGate();
    expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(false);
    expect(reserveAll(gate, 1000).every((reservation) => typeof reservation === 'object' && reservation.version === undefined)).toBe(true);
    expect(gate.available('FLASH-001')).toBeUndefined();
  });

  it('refuses more than the known stock and counts refusals per sale', () => {
    const gate = gateWith(1);
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

  describe('counting its own admissions (ADR 0020)', () => {
    it('closes once this replica admitted the known stock, without waiting for inventory', () => {
      const gate = gateWith(3);
      takeAll(gate, reserveAll(gate, 3));
      expect(reserveAll(gate, 2)).toEqual([undefined, undefined]);
      expect(gate.available('FLASH-001')).toBe(0);
      expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(true);
      expect(gate.refusedIn('sale-1')).toBe(3);
    });

    it('counts units, not purchases: a purchase of more than what is left is refused, a smaller one still fits', () => {
      const gate = gateWith(5);
      takeAll(gate, [gate.reserve('sale-1', 'FLASH-001', 3)]);
      expect(gate.reserve('sale-1', 'FLASH-001', 3)).toBeUndefined();
      expect(gate.reserve('sale-1', 'FLASH-001', 2)).toBeDefined();
      expect(gate.available('FLASH-001')).toBe(0);
    });

    it('keeps SKUs apart', () => {
      const gate = gateWith(1);
      gate.apply(level('BOOK-MQ', 1, 1));
      takeAll(gate, reserveAll(gate, 1));
      expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(true);
      expect(gate.refuses('sale-1', 'BOOK-MQ', 1)).toBe(false);
    });

    it('gives back the units of an admission that failed (repeat buyer, broker down)', () => {
      const gate = gateWith(2);
      const [first, second] = reserved(reserveAll(gate, 2));
      gate.settle(second, false);
      expect(gate.available('FLASH-001')).toBe(1);
      gate.settle(first, false);
      expect(gate.available('FLASH-001')).toBe(2);
    });

    it('makes a buyer wait for units held by admissions still under way instead of refusing while one may come back', async () => {
      const gate = gateWith(2);
      const [first, second] = reserved(reserveAll(gate, 2));
      expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(false);
      expect(gate.reserve('sale-1', 'FLASH-001', 1)).toBe('wait');
      const settled = gate.settlement('FLASH-001');
      gate.settle(second, false); // a repeat buyer: the unit was never taken
      await settled;
      const third = gate.reserve('sale-1', 'FLASH-001', 1);
      expect(third).toMatchObject({ sku: 'FLASH-001', quantity: 1, version: 1 });
      takeAll(gate, [first, third]);
      expect(gate.reserve('sale-1', 'FLASH-001', 1)).toBeUndefined();
      expect(gate.refusedIn('sale-1')).toBe(1);
    });

    it('gives back nothing to a newer level: that level already counts from scratch', () => {
      const gate = gateWith(2);
      const [reservation] = reserved(reserveAll(gate, 2));
      gate.apply(level('FLASH-001', 1, 2));
      gate.settle(reservation, false);
      expect(gate.available('FLASH-001')).toBe(1);
    });

    it('reopens when a newer level says stock remains: a restock, a cancellation giving units back', () => {
      const gate = gateWith(2);
      takeAll(gate, reserveAll(gate, 2));
      expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(true);
      gate.apply(level('FLASH-001', 7, 2));
      expect(gate.available('FLASH-001')).toBe(7);
      expect(reserved(reserveAll(gate, 8))).toHaveLength(7);
    });

    it('stays closed at a sell-out whatever this replica counted', () => {
      const gate = gateWith(10);
      reserveAll(gate, 4);
      gate.apply(level('FLASH-001', 0, 2));
      expect(gate.available('FLASH-001')).toBe(0);
      gate.rejected('FLASH-001', 1);
      expect(gate.refuses('sale-1', 'FLASH-001', 1)).toBe(true);
    });

    it('reopens by the units inventory rejected (a purchase it could not apply), never below what it counted', () => {
      const gate = gateWith(2);
      reserveAll(gate, 2);
      gate.rejected('FLASH-001', 1);
      expect(gate.available('FLASH-001')).toBe(1);
      gate.rejected('FLASH-001', 5);
      expect(gate.available('FLASH-001')).toBe(2);
      gate.rejected('UNKNOWN', 1);
      expect(gate.available('UNKNOWN')).toBeUndefined();
    });

    it('with two replicas, each closes on its own admissions only: together they may admit more (inventory rejects), never less', () => {
      const [a, b] = [gateWith(3), gateWith(3)];
      const admitted = reserved([...reserveAll(a, 2), ...reserveAll(b, 3), ...reserveAll(a, 2)]);
      expect(admitted).toHaveLength(6);
      expect([a.available('FLASH-001'), b.available('FLASH-001')]).toEqual([0, 0]);
      // Inventory takes 3 and rejects 3; the sell-out's level reaches both replicas.
      for (const gate of [a, b]) gate.apply(level('FLASH-001', 0, 2));
      expect([a.refuses('sale-1', 'FLASH-001', 1), b.refuses('sale-1', 'FLASH-001', 1)]).toEqual([true, true]);
    });

    it('a replica starting mid-sale counts from the level it replays: open until it admits that much itself', () => {
      const late = new SoldOutGate();
      late.apply(level('FLASH-001', 10, 1));
      late.apply(level('FLASH-001', 4, 3));
      expect(reserved(reserveAll(late, 5))).toHaveLength(4);
    });
  });
});
