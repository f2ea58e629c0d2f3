import type { StoredMessage } from '../messaging/message';

/**
 * The newest messages by log position, up to a byte budget: consumers that keep up are served from
 * memory, everything older is read from the log (and the OS page cache). Oldest out first.
 */
export class RecentMessages {
  private readonly messages = new Map<number, StoredMessage>();
  /** Positions in insertion order from `head` on (iterating the Map from its start would skip every deleted slot). */
  private order: number[] = [];
  private head = 0;
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.messages.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get(position: number): StoredMessage | undefined {
    const message = this.messages.get(position);
    if (message) this.hits++;
    else this.misses++;
    return message;
  }

  put(message: StoredMessage): void {
    if (message.body.length > this.maxBytes || this.messages.has(message.position)) return;
    this.messages.set(message.position, message);
    this.order.push(message.position);
    this.bytes += message.body.length;
    while (this.bytes > this.maxBytes) this.evictOldest();
  }

  /** Forgets what retention deleted. */
  dropBelow(position: number): void {
    while (this.head < this.order.length && this.order[this.head] < position) this.evictOldest();
  }

  private evictOldest(): void {
    const position = this.order[this.head++];
    const message = this.messages.get(position);
    if (message) {
      this.messages.delete(position);
      this.bytes -= message.body.length;
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
