import type { Row } from './harness';

/** One broker build: `main` is its `dist/src/main.js` (this checkout's build when absent). */
export interface Build {
  label: string;
  main?: string;
}

/**
 * Runs the same measurement against two builds in turns, so that both see the same drift of a shared
 * machine (adjacent runs differed by up to 20 % on the 2-core box, docs/benchmarks.md): only pairs taken
 * side by side tell a smaller change apart. The order flips every round (A B, B A, A B, …): the benchmark
 * process stays warm from run to run, and whichever build always went second measured faster.
 */
export async function alternate(builds: [Build, Build], rounds: number, run: (build: Build, round: number) => Promise<Row>): Promise<[Row[], Row[]]> {
  const results: [Row[], Row[]] = [[], []];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [0, 1] : [1, 0];
    for (const i of order) results[i].push(await run(builds[i], round));
  }
  return results;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * `compare b/a max=<mean rate B ÷ mean rate A> broker_us=<A>/<B> p99_half_ms=<median A>/<median B> wins=<rounds B was faster>/<rounds>`,
 * over the rounds both builds completed.
 */
export function compareLine(a: Row[], b: Row[]): string {
  const pairs = a.map((row, i) => [row, b[i]] as const).filter(([x, y]) => x.max && y.max && x.paced && y.paced);
  if (pairs.length === 0) return 'compare b/a: no round completed on both builds';
  const rates = (side: 0 | 1) => pairs.map((pair) => pair[side].max!.consumerRate);
  const brokerMicros = (side: 0 | 1) => mean(pairs.map((pair) => pair[side].max!.serverCpuPerMessage ?? Number.NaN)).toFixed(0);
  const p99 = (side: 0 | 1) => median(pairs.map((pair) => pair[side].paced!.p99)).toFixed(1);
  const wins = pairs.filter(([x, y]) => y.max!.consumerRate > x.max!.consumerRate).length;
  return `compare b/a max=${(mean(rates(1)) / mean(rates(0))).toFixed(2)} broker_us=${brokerMicros(0)}/${brokerMicros(1)} p99_half_ms=${p99(0)}/${p99(1)} wins=${wins}/${pairs.length}`;
}
