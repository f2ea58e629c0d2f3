import type { StoredMessage } from '../messaging/message';

/**
 * The newest messages by log position, up to a byte budget: consumers that keep up are served from
 * memory, everything older is read from the log (and the OS page cache). Oldest out first.
 */
export class RecentMessages {
  private readonly messages = new Map<number, StoredMessage>();
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
    this.bytes += message.body.length;
    for (const [position, oldest] of this.messages) {
      if (this.bytes <= this.maxBytes) break;
      this.messages.delete(position);
      this.bytes -= oldest.body.length;
    }
  }

  /** Forgets what retention deleted. */
  dropBelow(position: number): void {
    for (const [stored, message] of this.messages) {
      if (stored >= position) continue;
      this.messages.delete(stored);
      this.bytes -= message.body.length;
    }
  }
}
