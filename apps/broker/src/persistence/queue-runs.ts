import { endianness } from 'node:os';

/**
 * The messages of one queue that a segment holds at consecutive offsets, as columns: what a queue's
 * index needs, ready to be copied in with a few memcpys instead of decoded entry by entry.
 */
export interface QueueRun {
  topicId: number;
  queueId: number;
  firstOffset: number;
  positions: Float64Array;
  sizes: Uint32Array;
  tagHashes: Uint32Array;
  groupHashes: Uint32Array;
}

/** The fields of an index entry that runs keep. */
export interface RunRow {
  topicId: number;
  queueId: number;
  offset: number;
  /** Absolute log position of the record and its size in bytes. */
  position: number;
  size: number;
  tagHash: number;
  groupHash: number;
}

/*
 * Runs section of a sealed segment index, little-endian, every column 8-byte aligned from the section start:
 *   [u32 run count][u32 0]
 *   per run [u32 topicId][u16 queueId][u16 0][f64 first offset][u32 count][u32 0]
 *           [f64 position] × count, [u32 size] × count, [u32 tagHash] × count, [u32 groupHash] × count, zero padding to 8
 */
const SECTION_HEADER_BYTES = 8;
const RUN_HEADER_BYTES = 24;
/** Entries a new run has room for before its columns double: a broker may hold thousands of small runs. */
const FIRST_CAPACITY = 16;
const pad8 = (bytes: number) => (bytes + 7) & ~7;
const runBytes = (count: number) => RUN_HEADER_BYTES + count * 8 + pad8(count * 12);

/** A run being filled: its columns grow by doubling. */
class OpenRun {
  count = 0;
  positions = new Float64Array(FIRST_CAPACITY);
  sizes = new Uint32Array(FIRST_CAPACITY);
  tagHashes = new Uint32Array(FIRST_CAPACITY);
  groupHashes = new Uint32Array(FIRST_CAPACITY);

  constructor(
    readonly topicId: number,
    readonly queueId: number,
    readonly firstOffset: number,
  ) {}

  get nextOffset(): number {
    return this.firstOffset + this.count;
  }

  push(row: RunRow): void {
    if (this.count === this.positions.length) this.grow();
    this.positions[this.count] = row.position;
    this.sizes[this.count] = row.size;
    this.tagHashes[this.count] = row.tagHash;
    this.groupHashes[this.count] = row.groupHash;
    this.count++;
  }

  private grow(): void {
    this.positions = doubled(this.positions);
    this.sizes = doubled(this.sizes);
    this.tagHashes = doubled(this.tagHashes);
    this.groupHashes = doubled(this.groupHashes);
  }
}

/** A column of twice the length, holding the old one's values. */
function doubled<T extends Float64Array | Uint32Array>(column: T): T {
  const bigger = new (column.constructor as new (length: number) => T)(column.length * 2);
  bigger.set(column);
  return bigger;
}

/**
 * Groups a segment's entries into runs as they are appended (one per queue, split where offsets are
 * not consecutive), so that sealing the segment only copies columns out. Building them from the whole
 * index at the seal held the event loop for 10–40 ms once per 64 MiB segment (docs/benchmarks.md).
 */
export class QueueRunsBuilder {
  /** Runs in the order they opened: the section lists them so. */
  private readonly runs: OpenRun[] = [];
  /** The newest run of each topic and queue. */
  private readonly open = new Map<number, OpenRun>();

  add(row: RunRow): void {
    const key = row.topicId * 0x10000 + row.queueId;
    let run = this.open.get(key);
    if (!run || run.nextOffset !== row.offset) {
      run = new OpenRun(row.topicId, row.queueId, row.offset);
      this.open.set(key, run);
      this.runs.push(run);
    }
    run.push(row);
  }

  /** The runs section of the entries added so far. */
  encode(): Buffer {
    const out = Buffer.alloc(SECTION_HEADER_BYTES + this.runs.reduce((bytes, run) => bytes + runBytes(run.count), 0));
    out.writeUInt32LE(this.runs.length, 0);
    let cursor = SECTION_HEADER_BYTES;
    for (const run of this.runs) {
      const { count } = run;
      out.writeUInt32LE(run.topicId, cursor);
      out.writeUInt16LE(run.queueId, cursor + 4);
      out.writeDoubleLE(run.firstOffset, cursor + 8);
      out.writeUInt32LE(count, cursor + 16);
      let at = cursor + RUN_HEADER_BYTES;
      at = copyColumn(out, at, run.positions.subarray(0, count), 8, (view, i, value) => view.setFloat64(i, value, true));
      for (const column of [run.sizes, run.tagHashes, run.groupHashes]) {
        at = copyColumn(out, at, column.subarray(0, count), 4, (view, i, value) => view.setUint32(i, value, true));
      }
      cursor += runBytes(count);
    }
    return out;
  }
}

/** Copies a column into `out` at `at` as little-endian values: one memcpy on a little-endian machine. */
function copyColumn(out: Buffer, at: number, column: Float64Array | Uint32Array, width: number, set: (view: DataView, at: number, value: number) => void): number {
  if (runsReadable) out.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), at);
  else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    column.forEach((value, i) => set(view, at + i * width, value));
  }
  return at + column.length * width;
}

/** Typed-array views need the file's little-endian byte order; elsewhere the rows are used instead. */
export const runsReadable = endianness() === 'LE';

/**
 * The runs of a section read into `section` (8-byte aligned, e.g. from Buffer.allocUnsafeSlow); the
 * columns are views on it. Undefined when the section does not parse exactly.
 */
export function decodeRuns(section: Buffer): QueueRun[] | undefined {
  if (section.byteOffset % 8 !== 0 || section.length < SECTION_HEADER_BYTES) return undefined;
  const count = section.readUInt32LE(0);
  const runs: QueueRun[] = [];
  let cursor = SECTION_HEADER_BYTES;
  for (let r = 0; r < count; r++) {
    if (cursor + RUN_HEADER_BYTES > section.length) return undefined;
    const entries = section.readUInt32LE(cursor + 16);
    if (cursor + runBytes(entries) > section.length) return undefined;
    const at = section.byteOffset + cursor + RUN_HEADER_BYTES;
    const { buffer } = section;
    runs.push({
      topicId: section.readUInt32LE(cursor),
      queueId: section.readUInt16LE(cursor + 4),
      firstOffset: section.readDoubleLE(cursor + 8),
      positions: new Float64Array(buffer, at, entries),
      sizes: new Uint32Array(buffer, at + entries * 8, entries),
      tagHashes: new Uint32Array(buffer, at + entries * 12, entries),
      groupHashes: new Uint32Array(buffer, at + entries * 16, entries),
    });
    cursor += runBytes(entries);
  }
  return cursor === section.length ? runs : undefined;
}
