import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchWindow } from './batch-window';

describe('BatchWindow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a full batch at once and the rest when the window of its first item ends', async () => {
    const sent: number[][] = [];
    const window = new BatchWindow<number>(3, 500, async (batch) => void sent.push(batch));
    const settled = [1, 2, 3, 4, 5].map((n) => window.add(n));
    expect(sent).toEqual([[1, 2, 3]]);
    await vi.advanceTimersByTimeAsync(499);
    expect(sent).toEqual([[1, 2, 3]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([[1, 2, 3], [4, 5]]);
    await expect(Promise.all(settled)).resolves.toHaveLength(5);
  });

  it('settles every item with its own batch: a failed batch rejects only its items', async () => {
    const window = new BatchWindow<number>(2, 100, async (batch) => {
      if (batch.includes(3)) throw new Error('function answered 500');
    });
    const outcomes = [1, 2, 3, 4].map((n) => window.add(n).then(() => 'ok', (error: Error) => error.message));
    await vi.advanceTimersByTimeAsync(100);
    expect(await Promise.all(outcomes)).toEqual(['ok', 'ok', 'function answered 500', 'function answered 500']);
  });

  it('with a zero window, what arrives in one tick travels together', async () => {
    const sent: number[][] = [];
    const window = new BatchWindow<number>(10, 0, async (batch) => void sent.push(batch));
    const settled = [1, 2, 3].map((n) => window.add(n));
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(settled);
    expect(sent).toEqual([[1, 2, 3]]);
  });
});
