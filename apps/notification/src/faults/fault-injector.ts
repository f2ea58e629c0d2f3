import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

export const Faults = z.object({
  /** Probability that a provider call, or a contacts/orders write, fails (and is retried by the transport). */
  failureRate: z.number().min(0).max(1),
  /** How long a simulated provider call takes. */
  latencyMs: z.number().int().min(0).max(60_000),
});
export type Faults = z.output<typeof Faults>;

/** Thrown for a simulated outage; the transport retries the message with backoff. */
export class InjectedFailure extends Error {
  override readonly name = 'InjectedFailure';
}

/**
 * The simulated world around the handlers: providers that take time and sometimes fail, stores that
 * sometimes fail. `NOTIFICATION_FAILURE_RATE` (0) and `NOTIFICATION_PROVIDER_LATENCY_MS` (50) at
 * start; `PUT /faults` changes them while running.
 */
@Injectable()
export class FaultInjector {
  private faults: Faults = Faults.parse({
    failureRate: Number(process.env.NOTIFICATION_FAILURE_RATE ?? 0),
    latencyMs: Number(process.env.NOTIFICATION_PROVIDER_LATENCY_MS ?? 50),
  });

  get current(): Faults {
    return { ...this.faults };
  }

  update(changes: Partial<Faults>): Faults {
    this.faults = Faults.parse({ ...this.faults, ...changes });
    return this.current;
  }

  /** A call to an external provider: takes `latencyMs`, then fails with `failureRate`. */
  async callProvider(what: string): Promise<void> {
    await sleep(this.faults.latencyMs);
    this.maybeFail(what);
  }

  maybeFail(what: string): void {
    if (Math.random() < this.faults.failureRate) throw new InjectedFailure(`${what} failed (simulated)`);
  }
}
