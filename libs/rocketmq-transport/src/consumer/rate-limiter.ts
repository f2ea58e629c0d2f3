/**
 * Paces starts at `ratePerSecond`, first come first served. The bucket holds one millisecond's worth
 * of starts (at least one) or one group, so a timer that fires late (a busy event loop) or a pause in
 * demand never releases more than that at once — what peak shaving promises the system behind the
 * handler — while rates above 1,000/s stay reachable with timers that fire at most once per millisecond.
 *
 * `groupSize` > 1 releases starts in groups: the first of a group waits until there are tokens for the
 * whole group (or for everyone waiting, if fewer), then the group starts together. The average rate is
 * the same; a handler that batches what arrives together (a decision per batch) gets whole batches
 * instead of one start per 1/rate, which at a low rate would make every batch a batch of one.
 */
export class RateLimiter {
  private readonly capacity: number;
  private tokens = 1;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();
  /** Acquirers not granted yet. */
  private waiting = 0;
  /** Starts of the group being released that are still to go. */
  private releasing = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly groupSize = 1,
  ) {
    this.capacity = Math.max(1, ratePerSecond / 1000, groupSize);
  }

  acquire(): Promise<void> {
    this.waiting++;
    this.queue = this.queue.then(() => this.take());
    return this.queue;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      const needed = this.releasing > 0 ? 1 : Math.min(this.groupSize, this.waiting);
      if (this.tokens >= needed) {
        this.releasing = this.releasing > 0 ? this.releasing - 1 : needed - 1;
        this.tokens -= 1;
        this.waiting--;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((needed - this.tokens) / this.ratePerSecond) * 1000)));
    }
  }
}
