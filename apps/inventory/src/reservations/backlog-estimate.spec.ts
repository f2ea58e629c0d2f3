import { describe, expect, it } from 'vitest';
import { estimateBacklog } from './backlog-estimate';

describe('estimateBacklog', () => {
  it('is the queue delay times the drain rate while requests keep coming', () => {
    expect(estimateBacklog({ queueDelayMs: 4_000, takenAgoMs: 10, ratePerSecond: 50 })).toBe(200);
  });

  it('is 0 once the intake has been idle longer than it would wait for the next token', () => {
    expect(estimateBacklog({ queueDelayMs: 4_000, takenAgoMs: 1_500, ratePerSecond: 50 })).toBe(0);
    expect(estimateBacklog({ queueDelayMs: 4_000, takenAgoMs: 1_500, ratePerSecond: 0.5 })).toBe(2);
  });

  it('never goes negative when clocks disagree', () => {
    expect(estimateBacklog({ queueDelayMs: -30, takenAgoMs: 0, ratePerSecond: 50 })).toBe(0);
  });
});
