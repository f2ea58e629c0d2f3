import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Channel } from '../stats/counter.entity';

const Rates = {
  /** Probability that a call fails (and is retried by the transport). */
  failureRate: z.number().min(0).max(1),
  /** How long a simulated provider call takes. */
  latencyMs: z.number().int().min(0).max(60_000),
};
export const ProviderFaults = z.object(Rates);
export type ProviderFaults = z.output<typeof ProviderFaults>;

/** The top-level rates apply to every handler: both providers and the contacts/orders stores; `email` and `sms` are each provider's own. */
export const Faults = z.object({ ...Rates, email: ProviderFaults, sms: ProviderFaults });
export type Faults = z.output<typeof Faults>;

export interface FaultChanges extends Partial<ProviderFaults> {
  email?: Partial<ProviderFaults>;
  sms?: Partial<ProviderFaults>;
}

const CHANNELS: readonly Channel[] = ['email', 'sms'];

/** Thrown for a simulated outage; the transport retries the message with backoff. */
export class InjectedFailure extends Error {
  override readonly name = 'InjectedFailure';
}

/**
 * The simulated world around the handlers: providers that take time and sometimes fail, stores that
 * sometimes fail. `NOTIFICATION_FAILURE_RATE` (0) and `NOTIFICATION_PROVIDER_LATENCY_MS` (50) at
 * start, for every handler; `PUT /faults` changes them while running, for every handler or for one provider.
 */
@Injectable()
export class FaultInjector {
  private faults: Faults = this.changed(
    { failureRate: 0, latencyMs: 0, email: { failureRate: 0, latencyMs: 0 }, sms: { failureRate: 0, latencyMs: 0 } },
    { failureRate: Number(process.env.NOTIFICATION_FAILURE_RATE ?? 0), latencyMs: Number(process.env.NOTIFICATION_PROVIDER_LATENCY_MS ?? 50) },
  );

  get current(): Faults {
    return structuredClone(this.faults);
  }

  /** Top-level rates first (every handler), then each provider's own. */
  update(changes: FaultChanges): Faults {
    this.faults = this.changed(this.faults, changes);
    return this.current;
  }

  /** A call to a channel's external provider: takes its `latencyMs`, then fails with its `failureRate`. */
  async callProvider(channel: Channel): Promise<void> {
    const provider = this.faults[channel];
    await sleep(provider.latencyMs);
    if (Math.random() < provider.failureRate) throw new InjectedFailure(`${channel} provider failed (simulated)`);
  }

  /** A store write that fails with the top-level `failureRate`. */
  maybeFail(what: string): void {
    if (Math.random() < this.faults.failureRate) throw new InjectedFailure(`${what} failed (simulated)`);
  }

  private changed(faults: Faults, { email, sms, ...everyHandler }: FaultChanges): Faults {
    const perChannel = { email, sms };
    const next = { ...faults, ...everyHandler };
    for (const channel of CHANNELS) next[channel] = { ...faults[channel], ...everyHandler, ...perChannel[channel] };
    return Faults.parse(next);
  }
}
