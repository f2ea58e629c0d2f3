import { describe, expect, it } from 'vitest';
import type { FlashSaleView } from '../../api/scenarios';
import { FlashSaleHistory } from './flash-sale-history';

function sample(at: number, backlog: number, acked: number, saleId = 'sale-1'): FlashSaleView {
  return {
    at,
    saleId,
    sku: 'FLASH-001',
    stock: 100,
    sale: { accepted: 0, pending: 0, confirmed: 0, rejected: 0 },
    intake: { backlog, inflight: 0, acked },
    intakeRatePerSecond: 10,
  };
}

describe('FlashSaleHistory', () => {
  it('draws the backlog as it is and the drain rate from the change of acked per second, against the cap', () => {
    const history = new FlashSaleHistory();
    history.push(sample(10_000, 50, 100));
    history.push(sample(12_000, 30, 120));
    expect(history.times()).toEqual([10, 12]);
    expect(history.backlog()[0].values).toEqual([50, 30]);
    expect(history.drain()).toEqual([
      { label: 'drain rate (requests/s)', values: [null, 10] },
      { label: 'intake cap (requests/s)', values: [10, 10] },
    ]);
    expect(history.latestDrainRate()).toBe(10);
  });

  it('starts again for another sale, draws no rate when acked goes back (a broker restart), and keeps the newest samples', () => {
    const history = new FlashSaleHistory(2);
    history.push(sample(1_000, 5, 10));
    history.push(sample(2_000, 5, 10, 'sale-2'));
    expect(history.times()).toEqual([2]);
    history.push(sample(3_000, 5, 4, 'sale-2'));
    expect(history.latestDrainRate()).toBe(0);
    history.push(sample(4_000, 5, 8, 'sale-2'));
    expect(history.times()).toEqual([3, 4]);
    expect(history.latestDrainRate()).toBe(4);
  });
});
