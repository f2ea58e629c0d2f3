/**
 * A cache bounded by the bytes of its values, oldest out first. Keeps its own insertion order:
 * evicting from the front of a Map and iterating it again from its start would walk every deleted
 * slot each time.
 */
export class ByteBoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private order: K[] = [];
  private head = 0;
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  put(key: K, value: V): void {
    const bytes = this.sizeOf(value);
    if (bytes > this.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.order.push(key);
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) this.evictOldest();
  }

  delete(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.bytes -= this.sizeOf(value);
  }

  /** Evicts from the oldest on while `test` holds for the oldest key. */
  evictWhile(test: (key: K) => boolean): void {
    while (this.head < this.order.length && test(this.order[this.head])) this.evictOldest();
  }

  private evictOldest(): void {
    this.delete(this.order[this.head++]);
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
