import { describe, expect, it } from 'vitest';
import { alternate, type Build, compareLine } from '../bench/compare-builds';
import type { Row } from '../bench/harness';

const row = (rate: number, brokerMicros: number, p99: number): Row => ({
  system: 'transport',
  max: { producerRate: rate, consumerRate: rate, p50: 1, p99: 2, clientCpu: 50, serverCpu: 60, clientCpuPerMessage: 40, serverCpuPerMessage: brokerMicros },
  paced: { rate: rate / 2, p50: 1, p99, publishP50: 1, publishP99: p99, clientCpuPerMessage: 50, serverCpuPerMessage: 70 },
});

describe('compare-builds', () => {
  it('runs the builds in turns, flipping the order every round, and returns each build its own rows', async () => {
    const order: string[] = [];
    const builds: [Build, Build] = [{ label: 'A' }, { label: 'B', main: '/other/main.js' }];
    const [a, b] = await alternate(builds, 3, async (build, round) => {
      order.push(`${build.label}${round}`);
      return { system: `${build.label}${round}` };
    });
    expect(order).toEqual(['A1', 'B1', 'B2', 'A2', 'A3', 'B3']);
    expect(a.map((r) => r.system)).toEqual(['A1', 'A2', 'A3']);
    expect(b.map((r) => r.system)).toEqual(['B1', 'B2', 'B3']);
  });

  it('compares mean rates, mean broker CPU, median p99 and counts the rounds B was faster', () => {
    const a = [row(10_000, 60, 40), row(12_000, 50, 30), row(11_000, 55, 50)];
    const b = [row(13_000, 45, 20), row(11_000, 50, 25), row(12_000, 40, 90)];
    expect(compareLine(a, b)).toBe('compare b/a max=1.09 broker_us=55/45 p99_half_ms=40.0/25.0 wins=2/3');
  });

  it('leaves out rounds that one of the builds did not complete', () => {
    const a = [row(10_000, 60, 40), { system: 'failed' }];
    const b = [row(20_000, 30, 20), row(1, 1, 1)];
    expect(compareLine(a, b)).toBe('compare b/a max=2.00 broker_us=60/30 p99_half_ms=40.0/20.0 wins=1/1');
    expect(compareLine([{ system: 'failed' }], [row(1, 1, 1)])).toBe('compare b/a: no round completed on both builds');
  });
});
