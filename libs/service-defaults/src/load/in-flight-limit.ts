import { positiveIntegerEnv } from '../config/positive-integer-env';
import { OverloadedError } from '../errors/unavailability';

/** Shedding by time: refuse while a queue longer than this is standing (see InFlightLimit). */
export interface QueueingBudget {
  /** Environment variable holding the budget in ms (a positive integer). */
  variable: string;
  fallbackMs: number;
}

/** The window over which the quickest answer is taken (CoDel's interval, shortened for HTTP). */
const WINDOW_MS = 100;

/**
 * Load shedding, by time and by count. A request is refused at once with OverloadedError (503 +
 * Retry-After) when others are in flight and even the quickest request of its kind completed in the
 * last window took longer than `maxQueueingMs`: then a queue is standing (not a burst passing
 * through, CoDel's test) and a newcomer would wait at least as long, so it is better told to come back. `max` in flight caps
 * memory. By Little's law the admitted requests then take about the budget, whatever the arrival rate.
 */
export class InFlightLimit {
  private inFlight = 0;
  /** Quickest completion of the window that ended last, and of the one running. */
  private lastWindowMinMs = 0;
  private windowMinMs = Number.POSITIVE_INFINITY;
  private windowEndsAt = 0;

  constructor(
    readonly what: string,
    readonly max: number,
    readonly maxQueueingMs = Number.POSITIVE_INFINITY,
  ) {}

  /** `variable` from the environment (a positive integer), else `fallback`; the same for the budget if given. */
  static fromEnv(what: string, variable: string, fallback: number, budget?: QueueingBudget, env: NodeJS.ProcessEnv = process.env): InFlightLimit {
    return new InFlightLimit(what, positiveIntegerEnv(variable, fallback, env), budget ? positiveIntegerEnv(budget.variable, budget.fallbackMs, env) : undefined);
  }

  /**
   * Why a request arriving now would be refused, or undefined: the check run() makes, for a caller
   * that answers 503 itself before doing any other work (order's front door).
   */
  overloaded(now = performance.now()): string | undefined {
    this.roll(now);
    if (this.inFlight >= this.max) return `${this.inFlight} ${this.what} in flight: try again shortly`;
    // Nothing in flight: nothing to queue behind, whatever the last window said (a cold start, say).
    if (this.inFlight > 0 && this.lastWindowMinMs > this.maxQueueingMs) {
      return `${this.what} take ${Math.round(this.lastWindowMinMs)} ms at least (budget ${this.maxQueueingMs} ms): try again shortly`;
    }
    return undefined;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    const refusal = this.overloaded(startedAt);
    if (refusal !== undefined) throw new OverloadedError(refusal);
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      const now = performance.now();
      this.roll(now);
      this.windowMinMs = Math.min(this.windowMinMs, now - startedAt);
    }
  }

  /** Closes the window when its time is up; a window without completions says nothing (0). */
  private roll(now: number): void {
    if (now < this.windowEndsAt) return;
    this.lastWindowMinMs = now - this.windowEndsAt < WINDOW_MS && Number.isFinite(this.windowMinMs) ? this.windowMinMs : 0;
    this.windowMinMs = Number.POSITIVE_INFINITY;
    this.windowEndsAt = now + WINDOW_MS;
  }
}
