import { z } from 'zod';
import { OverloadedError } from '../errors/unavailability';

/**
 * At most `max` requests of one kind in flight: beyond it a request would only wait behind the others
 * and answer late, so it is refused at once with OverloadedError (503 + Retry-After: load shedding)
 * and the client comes back when the queue has cleared. By Little's law the admitted requests then
 * take about `max ÷ throughput` seconds, whatever the arrival rate.
 */
export class InFlightLimit {
  private inFlight = 0;

  constructor(
    readonly what: string,
    readonly max: number,
  ) {}

  /** `variable` from the environment (a positive integer), else `fallback`. */
  static fromEnv(what: string, variable: string, fallback: number, env: NodeJS.ProcessEnv = process.env): InFlightLimit {
    const parsed = z.coerce.number().int().positive().safeParse(env[variable] ?? fallback);
    if (!parsed.success) throw new Error(`${variable} must be a positive integer, got ${env[variable]}`);
    return new InFlightLimit(what, parsed.data);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.max) {
      throw new OverloadedError(`${this.inFlight} ${this.what} in flight: try again shortly`);
    }
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }
}
