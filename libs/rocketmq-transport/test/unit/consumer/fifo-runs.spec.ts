import { describe, expect, it } from 'vitest';
import { runsOf } from '../../../src/consumer/fifo-runs';

const message = (id: string, messageGroup?: string) => ({ id, messageGroup });

describe('runsOf', () => {
  const batch = [message('a1', 'a'), message('b1', 'b'), message('a2', 'a'), message('x'), message('b2', 'b'), message('a3', 'a'), message('y')];

  it('FIFO: one run per message group, in the order received; messages without a group run alone', () => {
    expect(runsOf(batch, true).map((run) => run.map((m) => m.id))).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2'], ['x'], ['y']]);
  });

  it('otherwise: every message is its own run', () => {
    expect(runsOf(batch, false).map((run) => run.map((m) => m.id))).toEqual(batch.map((m) => [m.id]));
  });
});
