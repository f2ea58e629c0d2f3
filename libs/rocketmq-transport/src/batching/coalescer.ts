export interface CoalescingOptions {
  /** Items per request at most. */
  maxItems: number;
  /** Bytes per request at most (an item larger than this travels alone). */
  maxBytes: number;
  /**
   * How long an item may wait for company while the window still has room, ms. 0 (the default of
   * the transport's batchers): it leaves at the end of the current tick, so only a full window
   * makes items wait and batches grow with load, not with a timer.
   */
  lingerMs: number;
  /** Requests in flight at once; while all are out, items gather for the next ones. */
  maxInFlight: number;
}

interface Gathering<T> {
  key: string;
  items: T[];
  bytes: number;
  /** Cancels the scheduled flush. */
  cancelFlush: (() => void) | undefined;
}

/**
 * Gathers items per key into requests: a request leaves when it is full (items or bytes), as soon as
 * a request in flight completes, when its linger ends, or — with nothing in flight — once the current
 * tick is over (items added in one tick share a request, and a lone item does not wait). With no
 * linger, a window with room sends at the end of the tick too: items wait only while every request
 * is out ("send when the previous one returns"), so batches grow with load and an idle client adds
 * no delay. `send` settles every item of its batch and never rejects.
 */
export class Coalescer<T> {
  private readonly gatherings = new Map<string, Gathering<T>>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly options: CoalescingOptions,
    private readonly sizeOf: (item: T) => number,
    private readonly send: (key: string, batch: T[]) => Promise<void>,
  ) {}

  add(key: string, item: T): void {
    let gathering = this.gatherings.get(key);
    if (!gathering) this.gatherings.set(key, (gathering = { key, items: [], bytes: 0, cancelFlush: undefined }));
    gathering.items.push(item);
    gathering.bytes += this.sizeOf(item);
    if (gathering.items.length >= this.options.maxItems || gathering.bytes >= this.options.maxBytes) this.flush(gathering);
    else gathering.cancelFlush ??= this.scheduleFlush(gathering);
  }

  /** Sends everything gathered, at once, and waits until every request has completed. */
  async drain(): Promise<void> {
    while (this.sending.size > 0 || [...this.gatherings.values()].some((g) => g.items.length > 0)) {
      for (const gathering of this.gatherings.values()) this.flush(gathering);
      await Promise.allSettled([...this.sending]);
    }
  }

  private scheduleFlush(gathering: Gathering<T>): () => void {
    if (this.sending.size === 0 || this.options.lingerMs <= 0) {
      const immediate = setImmediate(() => this.flush(gathering));
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => this.flush(gathering), this.options.lingerMs);
    return () => clearTimeout(timer);
  }

  private flush(gathering: Gathering<T>): void {
    gathering.cancelFlush?.();
    gathering.cancelFlush = undefined;
    while (gathering.items.length > 0 && this.sending.size < this.options.maxInFlight) {
      const sent: Promise<void> = this.send(gathering.key, this.take(gathering)).finally(() => {
        this.sending.delete(sent);
        this.flushWaiting();
      });
      this.sending.add(sent);
    }
  }

  /** A request completed: what gathered meanwhile goes out now rather than after its linger. */
  private flushWaiting(): void {
    for (const gathering of this.gatherings.values()) {
      if (this.sending.size >= this.options.maxInFlight) return;
      if (gathering.items.length > 0) this.flush(gathering);
    }
  }

  private take(gathering: Gathering<T>): T[] {
    let count = 0;
    let bytes = 0;
    while (count < gathering.items.length && count < this.options.maxItems) {
      const size = this.sizeOf(gathering.items[count]);
      if (count > 0 && bytes + size > this.options.maxBytes) break;
      bytes += size;
      count++;
    }
    gathering.bytes -= bytes;
    return gathering.items.splice(0, count);
  }
}
