/** Entries per full chunk; the newest chunk grows to this size by doubling, so small queues stay small. */
const CHUNK_BITS = 14;
const CHUNK_ENTRIES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ENTRIES - 1;
const FIRST_CAPACITY = 64;
/** Position of an offset that holds no message: lost to damage. */
const HOLE = -1;

class Chunk {
  positions: Float64Array;
  /** Bytes of the queue's messages before each entry, for O(1) backlog sizes. */
  starts: Float64Array;
  tagHashes: Uint32Array;
  groupHashes: Uint32Array;
  length = 0;

  constructor(capacity: number) {
    this.positions = new Float64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.tagHashes = new Uint32Array(capacity);
    this.groupHashes = new Uint32Array(capacity);
  }

  get full(): boolean {
    return this.length === CHUNK_ENTRIES;
  }

  /** Grows (by doubling, up to a full chunk) until `entries` more fit or the chunk is full-size. */
  ensureRoom(entries = 1): void {
    if (this.length + entries <= this.positions.length) return;
    let capacity = this.positions.length;
    while (capacity < CHUNK_ENTRIES && capacity < this.length + entries) capacity *= 2;
    capacity = Math.min(capacity, CHUNK_ENTRIES);
    this.positions = grown(new Float64Array(capacity), this.positions);
    this.starts = grown(new Float64Array(capacity), this.starts);
    this.tagHashes = grown(new Uint32Array(capacity), this.tagHashes);
    this.groupHashes = grown(new Uint32Array(capacity), this.groupHashes);
  }
}

function grown<T extends Float64Array | Uint32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/** Consecutive offsets of one queue as columns (a segment index's run). */
export interface QueueEntries {
  positions: Float64Array;
  sizes: Uint32Array;
  tagHashes: Uint32Array;
  groupHashes: Uint32Array;
}

/** What the index knows of one message without reading it: where it is, and the hashes filters and FIFO need. */
export interface QueueEntry {
  position: number;
  size: number;
  tagHash: number;
  groupHash: number;
}

/**
 * One queue of a topic: message places by offset, in typed arrays (24 bytes a message), so memory
 * grows with the number of retained messages, not their size; bodies stay in the log. Old offsets
 * leave from the front when retention deletes their segment, so offsets never shift.
 */
export class QueueIndex {
  /** Every chunk but the last is full, so an offset's chunk is a shift away. */
  private chunks: Chunk[] = [];
  /** Offset of chunks[0]'s first slot. */
  private chunkBase = 0;
  private min = 0;
  private max = 0;
  private totalBytes = 0;
  /** Offsets below this are on disk; consumers never see a message a crash could still take back. */
  private durableEnd = 0;

  constructor(readonly id: number) {}

  get minOffset(): number {
    return this.min;
  }

  get maxOffset(): number {
    return this.max;
  }

  get size(): number {
    return this.max - this.min;
  }

  get visibleEnd(): number {
    return Math.max(this.durableEnd, this.min);
  }

  markDurable(offset: number): void {
    if (offset >= this.durableEnd) this.durableEnd = offset + 1;
  }

  /** Appends a new message; returns its offset. */
  append(entry: QueueEntry): number {
    const offset = this.max;
    this.put(entry.position, entry.size, entry.tagHash, entry.groupHash);
    return offset;
  }

  /** Recovery: entries arrive in offset order; the first may start past 0 (retention) and gaps become holes. */
  restore(offset: number, entry: QueueEntry): void {
    if (offset < this.max) throw new Error(`queue ${this.id}: offset ${offset} restored after ${this.max - 1}`);
    if (this.chunks.length === 0) this.chunkBase = this.min = this.max = offset;
    while (this.max < offset) this.put(HOLE, 0, 0, 0);
    this.put(entry.position, entry.size, entry.tagHash, entry.groupHash);
    this.durableEnd = this.max;
  }

  /** Recovery: `run` holds offsets `first`, `first + 1`, …, copied in chunk by chunk. */
  restoreRun(first: number, run: QueueEntries): void {
    if (first < this.max) throw new Error(`queue ${this.id}: offset ${first} restored after ${this.max - 1}`);
    if (this.chunks.length === 0) this.chunkBase = this.min = this.max = first;
    while (this.max < first) this.put(HOLE, 0, 0, 0);
    const count = run.positions.length;
    for (let done = 0; done < count; ) {
      let chunk = this.chunks.at(-1);
      if (!chunk || chunk.full) this.chunks.push((chunk = new Chunk(chunk ? CHUNK_ENTRIES : FIRST_CAPACITY)));
      chunk.ensureRoom(count - done);
      const take = Math.min(count - done, chunk.positions.length - chunk.length);
      const end = done + take;
      chunk.positions.set(run.positions.subarray(done, end), chunk.length);
      chunk.tagHashes.set(run.tagHashes.subarray(done, end), chunk.length);
      chunk.groupHashes.set(run.groupHashes.subarray(done, end), chunk.length);
      const { starts } = chunk;
      let total = this.totalBytes;
      for (let i = done, at = chunk.length; i < end; i++, at++) {
        starts[at] = total;
        total += run.sizes[i];
      }
      this.totalBytes = total;
      chunk.length += take;
      this.max += take;
      done = end;
    }
    this.durableEnd = this.max;
  }

  /**
   * Recovery: offsets below `offset` were handed out before (their messages may all be gone to
   * retention), so the next message continues there instead of reusing an offset.
   */
  continueAt(offset: number): void {
    if (offset <= this.max) return;
    if (this.chunks.length === 0) {
      this.chunkBase = this.min = this.max = this.durableEnd = offset;
      return;
    }
    while (this.max < offset) this.put(HOLE, 0, 0, 0);
    this.durableEnd = this.max;
  }

  /** An offset whose record turned out damaged: never delivered again. */
  markLost(offset: number): void {
    const chunk = this.chunkOf(offset);
    if (chunk) chunk.positions[this.indexOf(offset)] = HOLE;
  }

  has(offset: number): boolean {
    return this.positionOf(offset) !== HOLE;
  }

  entry(offset: number): QueueEntry | undefined {
    const chunk = this.chunkOf(offset);
    const index = this.indexOf(offset);
    if (!chunk || chunk.positions[index] === HOLE) return undefined;
    return { position: chunk.positions[index], size: this.startOf(offset + 1) - chunk.starts[index], tagHash: chunk.tagHashes[index], groupHash: chunk.groupHashes[index] };
  }

  positionOf(offset: number): number {
    return this.chunkOf(offset)?.positions[this.indexOf(offset)] ?? HOLE;
  }

  tagHashOf(offset: number): number {
    return this.chunkOf(offset)?.tagHashes[this.indexOf(offset)] ?? 0;
  }

  groupHashOf(offset: number): number {
    return this.chunkOf(offset)?.groupHashes[this.indexOf(offset)] ?? 0;
  }

  /** Bytes of the messages from `offset` to the end. */
  bytesFrom(offset: number): number {
    return this.totalBytes - this.startOf(Math.max(offset, this.min));
  }

  /** Drops the offsets stored before log position `position`; returns the new minimum offset. */
  trimBefore(position: number): number {
    while (this.min < this.max) {
      const stored = this.positionOf(this.min);
      if (stored !== HOLE && stored >= position) break;
      this.min++;
    }
    while (this.chunks.length > 1 && this.chunkBase + CHUNK_ENTRIES <= this.min) {
      this.chunkBase += CHUNK_ENTRIES;
      this.chunks.shift();
    }
    return this.min;
  }

  /** Offsets holding a message in [from, to). */
  *offsets(from = this.min, to = this.max): Iterable<number> {
    for (let offset = Math.max(from, this.min); offset < Math.min(to, this.max); offset++) if (this.has(offset)) yield offset;
  }

  private startOf(offset: number): number {
    if (offset >= this.max) return this.totalBytes;
    return this.chunkOf(offset)?.starts[this.indexOf(offset)] ?? 0;
  }

  private indexOf(offset: number): number {
    return (offset - this.chunkBase) & CHUNK_MASK;
  }

  private chunkOf(offset: number): Chunk | undefined {
    if (offset < this.min || offset >= this.max) return undefined;
    return this.chunks[(offset - this.chunkBase) >>> CHUNK_BITS];
  }

  private put(position: number, size: number, tagHash: number, groupHash: number): void {
    let chunk = this.chunks.at(-1);
    // Only a queue's first chunk starts small; once a queue has filled one, it gets full-size chunks.
    if (!chunk || chunk.full) this.chunks.push((chunk = new Chunk(chunk ? CHUNK_ENTRIES : FIRST_CAPACITY)));
    chunk.ensureRoom();
    const index = chunk.length++;
    chunk.positions[index] = position;
    chunk.starts[index] = this.totalBytes;
    chunk.tagHashes[index] = tagHash;
    chunk.groupHashes[index] = groupHash;
    this.totalBytes += size;
    this.max++;
  }
}
