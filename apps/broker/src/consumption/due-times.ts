import { MinHeap } from '../util/min-heap';

/** One pending message's next due time, under the version it had when it was scheduled. */
interface DueItem {
  offset: number;
  version: number;
  visibleAt: number;
}

const FIRST_CAPACITY = 64;

/**
 * When the pending messages of a cursor become deliverable again. Nearly every delivery of a group
 * uses the same invisible time, so due times arrive in order: those go to a ring of typed arrays (no
 * object per delivery, nothing for the garbage collector to promote while it waits out a 30 s
 * invisible time) and leave it from the front as soon as they went stale (the message was
 * acknowledged). Times that arrive out of order (a shorter invisible time, a retry backoff, a
 * renewal) go to a min-heap. `popDue` takes the earlier of the two fronts and skips stale items.
 */
export class DueTimes {
  private readonly outOfOrder = new MinHeap<DueItem>((item) => item.visibleAt);
  private offsets = new Float64Array(FIRST_CAPACITY);
  private versions = new Float64Array(FIRST_CAPACITY);
  private times = new Float64Array(FIRST_CAPACITY);
  /** Ring positions: the front item and how many there are. */
  private head = 0;
  private count = 0;

  /**
   * @param isCurrent whether an item still describes its message (same version and due time); stale
   * items are dropped from the ring's front when new ones arrive, and skipped by `popDue`.
   */
  constructor(private readonly isCurrent: (offset: number, version: number, visibleAt: number) => boolean) {}

  get size(): number {
    return this.count + this.outOfOrder.size;
  }

  add(offset: number, version: number, visibleAt: number): void {
    // Never due (a FIFO message behind its group's head): it is added again when it becomes the head, and
    // an Infinity at the ring's end would send every later due time to the heap.
    if (visibleAt === Infinity) return;
    this.dropStaleFront();
    if (this.count > 0 && visibleAt < this.times[this.slot(this.count - 1)]) {
      this.outOfOrder.push({ offset, version, visibleAt });
      return;
    }
    if (this.count === this.times.length) this.grow();
    const slot = this.slot(this.count++);
    this.offsets[slot] = offset;
    this.versions[slot] = version;
    this.times[slot] = visibleAt;
  }

  /** The earliest due time, stale items included (a waiter woken for one finds nothing and waits again). */
  next(): number | undefined {
    const heapTop = this.outOfOrder.peek()?.visibleAt;
    if (this.count === 0) return heapTop;
    const ringFront = this.times[this.head];
    return heapTop === undefined || ringFront <= heapTop ? ringFront : heapTop;
  }

  /** The offset of the earliest current item due at `now`, removed with the stale items before it; no object per call. */
  popDue(now: number): number | undefined {
    for (;;) {
      const heapTop = this.outOfOrder.peek();
      if (this.count > 0 && this.times[this.head] <= now && (heapTop === undefined || this.times[this.head] <= heapTop.visibleAt)) {
        const offset = this.offsets[this.head];
        const current = this.isCurrent(offset, this.versions[this.head], this.times[this.head]);
        this.shift();
        if (current) return offset;
      } else if (heapTop !== undefined && heapTop.visibleAt <= now) {
        this.outOfOrder.pop();
        if (this.isCurrent(heapTop.offset, heapTop.version, heapTop.visibleAt)) return heapTop.offset;
      } else {
        return undefined;
      }
    }
  }

  clear(): void {
    this.outOfOrder.clear();
    this.head = 0;
    this.count = 0;
  }

  private dropStaleFront(): void {
    while (this.count > 0 && !this.isCurrent(this.offsets[this.head], this.versions[this.head], this.times[this.head])) this.shift();
  }

  private shift(): void {
    this.head = this.slot(1);
    this.count--;
  }

  private slot(index: number): number {
    return (this.head + index) % this.times.length;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const unroll = (from: Float64Array): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(capacity);
      for (let i = 0; i < this.count; i++) to[i] = from[this.slot(i)];
      return to;
    };
    this.offsets = unroll(this.offsets);
    this.versions = unroll(this.versions);
    this.times = unroll(this.times);
    this.head = 0;
  }
}
