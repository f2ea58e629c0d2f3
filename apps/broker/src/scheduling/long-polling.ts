import type { Clock } from './clock';

/**
 * Parks ReceiveMessage calls until their topic changes, a retry falls due, the poll times out or
 * the client goes away. Waking is cheap and may be spurious: the caller simply tries again.
 *
 * A change wakes one parked call per audience (one consumer group with one filter: calls that would
 * take the same messages), the one parked longest: it takes what there is, and waking every call of
 * an audience (a client keeps several parked) only had the others find nothing and park again, once
 * per commit. A call that took a full batch, or that ends without looking, passes the wake-up on
 * (`notifyAudience`).
 */
export class LongPolling {
  /** Parked calls by topic, then by audience, oldest first. */
  private readonly waiters = new Map<string, Map<string, Set<() => void>>>();

  constructor(private readonly clock: Clock) {}

  wait(topic: string, audience: string, until: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let audiences = this.waiters.get(topic);
      if (!audiences) this.waiters.set(topic, (audiences = new Map()));
      const parkedBy = audiences;
      let parked = parkedBy.get(audience);
      if (!parked) parkedBy.set(audience, (parked = new Set()));
      const waiters = parked;
      const wake = (): void => {
        this.clock.clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        waiters.delete(wake);
        if (waiters.size === 0 && parkedBy.get(audience) === waiters) parkedBy.delete(audience);
        if (parkedBy.size === 0 && this.waiters.get(topic) === parkedBy) this.waiters.delete(topic);
        resolve();
      };
      const timer = this.clock.setTimeout(wake, Math.max(0, until - this.clock.now()));
      signal.addEventListener('abort', wake);
      waiters.add(wake);
    });
  }

  /** Something changed on the topic: wakes the longest-parked call of each audience. */
  notify(topic: string): void {
    const audiences = this.waiters.get(topic);
    if (audiences) for (const audience of [...audiences.keys()]) this.notifyAudience(topic, audience);
  }

  /** Wakes the longest-parked call of one audience on the topic, if any. */
  notifyAudience(topic: string, audience: string): void {
    const waiters = this.waiters.get(topic)?.get(audience);
    if (waiters) for (const wake of waiters) return wake();
  }

  wakeAll(): void {
    for (const audiences of [...this.waiters.values()]) for (const waiters of [...audiences.values()]) for (const wake of [...waiters]) wake();
  }
}
