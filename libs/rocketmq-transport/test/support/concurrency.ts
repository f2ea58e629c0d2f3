/** Runs `work` over `items` with at most `limit` calls in flight (a publish window, for instance). */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The largest number of calls of a tracked function that ran at the same time. */
export class InFlightGauge {
  current = 0;
  max = 0;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.max = Math.max(this.max, ++this.current);
    try {
      return await work();
    } finally {
      this.current--;
    }
  }
}
