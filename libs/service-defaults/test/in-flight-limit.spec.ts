import { describe, expect, it } from 'vitest';
import { InFlightLimit, OverloadedError } from '../src';

describe('InFlightLimit', () => {
  it('runs up to max at once and refuses the next at once', async () => {
    const limit = new InFlightLimit('things', 2);
    const releases: (() => void)[] = [];
    const held = () => limit.run(() => new Promise<string>((resolve) => releases.push(() => resolve('done'))));
    const first = held();
    const second = held();
    await expect(limit.run(async () => 'third')).rejects.toThrow(OverloadedError);
    releases.forEach((release) => release());
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    expect(await limit.run(async () => 'again')).toBe('again');
  });

  it('frees its slot when the work fails', async () => {
    const limit = new InFlightLimit('things', 1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(async () => 'ok')).toBe('ok');
  });

  it('reads its maximum from the environment', () => {
    expect(InFlightLimit.fromEnv('things', 'MAX', 5, {}).max).toBe(5);
    expect(InFlightLimit.fromEnv('things', 'MAX', 5, { MAX: '7' }).max).toBe(7);
    expect(() => InFlightLimit.fromEnv('things', 'MAX', 5, { MAX: 'lots' })).toThrow(/MAX must be a positive integer/);
  });
});
