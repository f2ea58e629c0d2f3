import { describe, expect, it } from 'vitest';
import type { BrokerStats } from '../../api/dashboard';
import { RateHistory } from './rate-history';

function stats(at: number, inCount: number, backlog: number, deadLetters = 0): BrokerStats {
  return {
    at,
    topics: [{ name: 'orders', type: 'NORMAL', queues: 2, messages: inCount, in: inCount, out: 0 }, { name: '%DLQ%g', type: 'MIXED', queues: 1, messages: 0, in: 0, out: 0 }],
    groups: [{ name: 'g', fifo: false, maxAttempts: 3, deadLetters, topics: [{ topic: 'orders', backlog, inflight: 1, retrying: 0, acked: 0, out: 0, acks: 0, deadLettered: 0 }] }],
  };
}

describe('RateHistory', () => {
  it('turns cumulative counters into per-second rates between samples, without system topics', () => {
    const history = new RateHistory();
    history.push(stats(10_000, 100, 5));
    history.push(stats(12_000, 140, 7));
    expect(history.times()).toEqual([10, 12]);
    expect(history.topicRates('in', stats(12_000, 140, 7))).toEqual([{ label: 'orders', values: [null, 20] }]);
    expect(history.latestRate('in', 'orders')).toBe(20);
    expect(history.backlogs(stats(12_000, 140, 7))).toEqual([{ label: 'g', values: [5, 7] }]);
  });

  it('draws no rate across a broker restart (counters going back) and keeps only the newest samples', () => {
    const history = new RateHistory(2);
    history.push(stats(1_000, 50, 0));
    history.push(stats(2_000, 60, 0, 1));
    history.push(stats(3_000, 5, 0, 2));
    expect(history.times()).toEqual([2, 3]);
    expect(history.latestRate('in', 'orders')).toBe(0);
    expect(history.deliveryStates().find((series) => series.label === 'dead letters')?.values).toEqual([1, 2]);
  });
});
