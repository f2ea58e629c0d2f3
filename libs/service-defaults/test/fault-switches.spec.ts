import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { faultSwitches } from '../src/faults/fault-switches';

const Body = faultSwitches({ latencyMs: z.number().int().min(0), paused: z.boolean() });

describe('faultSwitches', () => {
  it('accepts any of the switches', () => {
    expect(Body.parse({ paused: true })).toEqual({ paused: true });
    expect(Body.parse({ latencyMs: 10, paused: false })).toEqual({ latencyMs: 10, paused: false });
  });

  it('refuses an empty body, naming the switches', () => {
    expect(Body.safeParse({}).error?.issues[0].message).toBe('give at least one of: latencyMs, paused');
  });

  it('refuses a misspelt switch and a bad value', () => {
    expect(Body.safeParse({ pasued: true }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['pasued'] });
    expect(Body.safeParse({ latencyMs: -1 }).success).toBe(false);
  });
});
