/**
 * Paces starts at `ratePerSecond`: one start per 1/rate, first come first served. The bucket holds
 * one millisecond's worth of starts (at least one), so a timer that fires late (a busy event loop) or
 * a pause in demand never releases a burst above the rate — what peak shaving promises the system
 * behind the handler — while rates above 1,000/s stay reachable with timers that fire at most once
 * per millisecond.
 */
export class RateLimiter {
  private readonly capacity: number;
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ratePerSecond: number) {
    this.capacity = Math.max(1, ratePerSecond / 1000);
    this.tokens = 1;
  }

  acquire(): Promise<void> {
    this.queue = this.queue.then(() => this.take());
    return this.queue;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000)));
    }
  }
}
