import type { Clock } from '../src/scheduling/clock';
import { MinHeap } from '../src/util/min-heap';

interface Timer {
  at: number;
  sequence: number;
  callback: () => void;
  cancelled: boolean;
}

/** Drains every pending microtask (the simulated disk completes all its work in microtasks). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Virtual time: timers fire only when the simulation advances the clock, in due order. */
export class SimulatedClock implements Clock {
  private time = 1_800_000_000_000;
  private sequence = 0;
  private readonly timers = new MinHeap<Timer>((timer) => timer.at + timer.sequence / 1e9);

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: Timer = { at: this.time + Math.max(0, ms), sequence: this.sequence++, callback, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(timer: unknown): void {
    if (timer) (timer as Timer).cancelled = true;
  }

  /** Moves time forward, firing due timers one by one and letting their work finish. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (let next = this.timers.peek(); next && next.at <= until; next = this.timers.peek()) {
      this.timers.pop();
      if (next.cancelled) continue;
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = until;
    await settle();
  }

  /** The process died: its timers die with it. */
  dropTimers(): void {
    for (let timer = this.timers.pop(); timer; timer = this.timers.pop()) timer.cancelled = true;
  }
}
