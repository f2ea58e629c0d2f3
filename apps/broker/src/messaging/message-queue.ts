import type { StoredMessage } from './message';

/**
 * One queue of a topic: an append-only sequence addressed by offset. Old messages leave from the
 * front when retention removes their log segment, so offsets never shift.
 */
export class MessageQueue {
  /** Holes (undefined) appear only where recovery found a gap, e.g. a corrupt middle segment. */
  private messages: (StoredMessage | undefined)[] = [];
  private base = 0;
  /** Offsets below this are on disk; consumers never see a message that a crash could still take back. */
  private durableEnd = 0;

  constructor(readonly id: number) {}

  get visibleEnd(): number {
    return Math.max(this.durableEnd, this.base);
  }

  markDurable(offset: number): void {
    if (offset >= this.durableEnd) this.durableEnd = offset + 1;
  }

  get minOffset(): number {
    return this.base;
  }

  get maxOffset(): number {
    return this.base + this.messages.length;
  }

  get size(): number {
    return this.messages.length;
  }

  nextOffset(): number {
    return this.maxOffset;
  }

  append(message: StoredMessage): void {
    if (message.offset !== this.maxOffset) throw new Error(`queue ${this.id}: offset ${message.offset} out of order (expected ${this.maxOffset})`);
    this.messages.push(message);
  }

  /** Replay: the first surviving message of a queue may start past 0 (retention); later gaps become holes. */
  restore(message: StoredMessage): void {
    if (this.messages.length === 0) this.base = message.offset;
    while (this.maxOffset < message.offset) this.messages.push(undefined);
    this.messages.push(message);
    this.durableEnd = this.maxOffset;
  }

  get(offset: number): StoredMessage | undefined {
    return this.messages[offset - this.base];
  }

  /** Drops messages stored before the log position `position`; returns how many left. */
  trimBefore(position: number): number {
    let count = 0;
    while (count < this.messages.length && (this.messages[count]?.position ?? -1) < position) count++;
    if (count > 0) {
      this.messages = this.messages.slice(count);
      this.base += count;
    }
    return count;
  }

  *all(): Iterable<StoredMessage> {
    for (const message of this.messages) if (message) yield message;
  }
}
