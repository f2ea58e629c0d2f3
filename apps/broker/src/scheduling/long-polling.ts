/**
 * Parks ReceiveMessage calls until their topic changes, a retry falls due, the poll times out or
 * the client goes away. Waking is cheap and may be spurious: the caller simply tries again.
 */
export class LongPolling {
  private readonly waiters = new Map<string, Set<() => void>>();

  wait(topic: string, until: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(topic);
      if (!set) this.waiters.set(topic, (set = new Set()));
      const waiters = set;
      const wake = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiters.get(topic) === waiters) this.waiters.delete(topic);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, until - Date.now()));
      signal.addEventListener('abort', wake);
      waiters.add(wake);
    });
  }

  notify(topic: string): void {
    const waiters = this.waiters.get(topic);
    if (waiters) for (const wake of [...waiters]) wake();
  }

  get parked(): number {
    let count = 0;
    for (const set of this.waiters.values()) count += set.size;
    return count;
  }

  wakeAll(): void {
    for (const topic of [...this.waiters.keys()]) this.notify(topic);
  }
}
