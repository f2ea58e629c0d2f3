import { describe, expect, it } from 'vitest';
import { chargeOperations, episodesOf, parseProcessTrace, processName } from '../bench/stall-episodes';

const trace = (pid: number, script: string, lines: string[]) => parseProcessTrace([JSON.stringify({ pid, argv: [script] }), ...lines, ''].join('\n'));

describe('stall episodes of a traced benchmark', () => {
  const broker = trace(11, '/repo/apps/broker/dist/src/main.js', ['1000.0 lag 12.0', '1002.0 gc-major 9.5', '2000.0 lag 4.0']);
  const client = trace(22, '/repo/apps/broker/dist/bench/broker.bench.js', ['1500.0 lag 30.0', '3000.0 gc-minor 3.0']);

  it('names processes by app or script and tells a GC stall from a busy loop', () => {
    expect(processName('/x/apps/order/dist/src/main.js')).toBe('order');
    expect(broker.name).toBe('broker');
    expect(broker.label).toBe('broker (11)');
    expect(client.label).toBe('broker.bench (22)');
    expect(broker.stalls.map((s) => s.cause)).toEqual(['gc-major', 'busy']);
    expect(broker.gcs).toEqual([{ at: 1002, ms: 9.5, kind: 'gc-major' }]);
  });

  it('merges nearby slow operations into episodes with the stalls that overlap them, longest first', () => {
    const episodes = episodesOf(
      [
        { at: 1005, ms: 20 },
        { at: 995, ms: 15 },
        { at: 1515, ms: 11 },
        { at: 1530, ms: 12 },
      ],
      [broker, client],
    );
    expect(episodes.map(({ at, end, operations, worstMs }) => ({ at, end, operations, worstMs }))).toEqual([
      { at: 995, end: 1025, operations: 2, worstMs: 20 },
      { at: 1515, end: 1542, operations: 2, worstMs: 12 },
    ]);
    expect(episodes[0].stalls.map(({ label, stall }) => `${label} ${stall.cause}`)).toEqual(['broker (11) gc-major']);
    expect(episodes[1].stalls.map(({ label, stall }) => `${label} ${stall.cause} ${stall.ms}`)).toEqual(['broker.bench (22) busy 30']);
  });

  it('charges each slow operation to the longest overlapping stall of any process, or to no stall', () => {
    const charges = chargeOperations(
      [
        { at: 1001, ms: 15 },
        { at: 1490, ms: 20 },
        { at: 1505, ms: 10 },
        { at: 2500, ms: 10 },
      ],
      [broker, client],
    );
    expect(charges).toEqual([
      ['broker.bench: busy', 2],
      ['broker: gc-major', 1],
      ['no stall', 1],
    ]);
  });
});
