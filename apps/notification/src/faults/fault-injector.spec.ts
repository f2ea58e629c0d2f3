import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultInjector, InjectedFailure } from './fault-injector';

afterEach(() => vi.unstubAllEnvs());

function injector(): FaultInjector {
  vi.stubEnv('NOTIFICATION_FAILURE_RATE', '0');
  vi.stubEnv('NOTIFICATION_PROVIDER_LATENCY_MS', '0');
  return new FaultInjector();
}

describe('FaultInjector', () => {
  it('starts every handler on the environment settings', () => {
    vi.stubEnv('NOTIFICATION_PROVIDER_LATENCY_MS', '50');
    vi.stubEnv('NOTIFICATION_FAILURE_RATE', '0.1');
    const provider = { failureRate: 0.1, latencyMs: 50 };
    expect(new FaultInjector().current).toEqual({ ...provider, email: provider, sms: provider });
  });

  it('fails only the email provider when only email is set to fail', async () => {
    const faults = injector();
    faults.update({ email: { failureRate: 1 } });
    await expect(faults.callProvider('email')).rejects.toThrow(InjectedFailure);
    await expect(faults.callProvider('sms')).resolves.toBeUndefined();
    expect(() => faults.maybeFail('contacts store')).not.toThrow();
  });

  it('applies top-level rates to every handler, then each provider its own', async () => {
    const faults = injector();
    expect(faults.update({ failureRate: 1, sms: { failureRate: 0, latencyMs: 5 } })).toEqual({
      failureRate: 1,
      latencyMs: 0,
      email: { failureRate: 1, latencyMs: 0 },
      sms: { failureRate: 0, latencyMs: 5 },
    });
    expect(() => faults.maybeFail('orders store')).toThrow('orders store failed (simulated)');
    await expect(faults.callProvider('sms')).resolves.toBeUndefined();
  });

  it('makes only the slow provider slow', async () => {
    const faults = injector();
    faults.update({ email: { latencyMs: 200 } });
    const timed = async (channel: 'email' | 'sms') => {
      const started = performance.now();
      await faults.callProvider(channel);
      return performance.now() - started;
    };
    expect(await timed('email')).toBeGreaterThanOrEqual(195);
    expect(await timed('sms')).toBeLessThan(150);
  });

  it('refuses out-of-range settings and keeps the old ones', () => {
    const faults = injector();
    expect(() => faults.update({ email: { failureRate: 2 } })).toThrow();
    expect(faults.current.email.failureRate).toBe(0);
  });
});
