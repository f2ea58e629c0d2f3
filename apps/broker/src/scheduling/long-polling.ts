import type { Clock } from './clock';

/**
 * Parks ReceiveMessage calls until their topic changes, a retry falls due, the poll times out or
 * the client goes away. Waking is cheap and may be spurious: the caller simply tries again.
 */
export class LongPolling {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly clock: Clock) {}

  wait(topic: string, until: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(topic);
      if (!set) this.waiters.set(topic, (set = new Set()));
      const waiters = set;
      const wake = (): void => {
        this.clock.clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiters.get(topic) === waiters) this.waiters.delete(topic);
        resolve();
      };
      const timer = this.clock.setTimeout(wake, Math.max(0, until - this.clock.now()));
      signal.addEventListener('abort', wake);
      waiters.add(wake);
    });
  }

  notify(topic: string): void {
    const waiters = this.waiters.get(topic);
    if (waiters) for (const wake of [...waiters]) wake();
  }

  wakeAll(): void {
    for (const topic of [...this.waiters.keys()]) this.notify(topic);
  }
}
