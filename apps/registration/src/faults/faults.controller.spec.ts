import { afterEach, describe, expect, it, vi } from 'vitest';
import { CrashFault } from './crash-fault';
import { FaultsController } from './faults.controller';

afterEach(() => vi.unstubAllEnvs());

describe('registration FaultsController', () => {
  it('reports and changes the crash rate between the half message and the commit', () => {
    vi.stubEnv('REGISTRATION_CRASH_RATE', '0');
    const controller = new FaultsController(new CrashFault());
    expect(controller.current()).toEqual({ crashBetweenHalfAndCommitRate: 0 });
    expect(controller.set({ crashBetweenHalfAndCommitRate: 0.5 })).toEqual({ crashBetweenHalfAndCommitRate: 0.5 });
    expect(controller.current()).toEqual({ crashBetweenHalfAndCommitRate: 0.5 });
  });

  it('keeps the rate when the new one is out of range', () => {
    const crash = new CrashFault();
    expect(() => (crash.crashBetweenHalfAndCommitRate = 1.5)).toThrow();
    expect(crash.crashBetweenHalfAndCommitRate).toBe(0);
  });
});
