import { MinHeap } from '../util/min-heap';
import type { Clock } from './clock';

/**
 * Fires `onDue(id)` at (or soon after) each scheduled time, with one timer for the whole set.
 * Used for delay messages and transaction check-backs.
 */
export class TimerQueue {
  private readonly heap = new MinHeap<{ id: string; at: number }>((item) => item.at);
  private readonly scheduled = new Map<string, number>();
  private timer: unknown;
  private armedFor = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (id: string) => void,
  ) {}

  schedule(id: string, at: number): void {
    this.scheduled.set(id, at);
    this.heap.push({ id, at });
    if (at < this.armedFor) this.arm();
  }

  cancel(id: string): boolean {
    return this.scheduled.delete(id);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  private arm(): void {
    this.clock.clearTimeout(this.timer);
    const next = this.heap.peek();
    if (!next) {
      this.armedFor = Infinity;
      return;
    }
    this.armedFor = next.at;
    // setTimeout overflows past ~24.8 days; re-arming every hour keeps long schedules exact.
    this.timer = this.clock.setTimeout(() => this.fire(), Math.min(Math.max(0, next.at - this.clock.now()), 3_600_000));
  }

  private fire(): void {
    this.armedFor = Infinity;
    const now = this.clock.now();
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      // Skip entries that were cancelled or re-scheduled to another time.
      if (this.scheduled.get(top.id) !== top.at) continue;
      this.scheduled.delete(top.id);
      this.onDue(top.id);
    }
    this.arm();
  }
}
