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

/** The row fields a run is built from (an index entry). */
export interface RunSource {
  count: number;
  topicId(i: number): number;
  queueId(i: number): number;
  offset(i: number): number;
  position(i: number): number;
  size(i: number): number;
  tagHash(i: number): number;
  groupHash(i: number): number;
}

/*
 * Runs section of a sealed segment index, little-endian, every column 8-byte aligned from the section start:
 *   [u32 run count][u32 0]
 *   per run [u32 topicId][u16 queueId][u16 0][f64 first offset][u32 count][u32 0]
 *           [f64 position] × count, [u32 size] × count, [u32 tagHash] × count, [u32 groupHash] × count, zero padding to 8
 */
const SECTION_HEADER_BYTES = 8;
const RUN_HEADER_BYTES = 24;
const pad8 = (bytes: number) => (bytes + 7) & ~7;
const runBytes = (count: number) => RUN_HEADER_BYTES + count * 8 + pad8(count * 12);

/** Groups a segment's entries into runs: one per queue, split where offsets are not consecutive. */
export function encodeRuns(rows: RunSource): Buffer {
  const runs: { at: number[]; key: number }[] = [];
  const open = new Map<number, { at: number[]; next: number }>();
  for (let i = 0; i < rows.count; i++) {
    const key = rows.topicId(i) * 0x10000 + rows.queueId(i);
    let run = open.get(key);
    if (!run || run.next !== rows.offset(i)) {
      run = { at: [], next: rows.offset(i) };
      open.set(key, run);
      runs.push({ at: run.at, key });
    }
    run.at.push(i);
    run.next++;
  }
  const out = Buffer.alloc(SECTION_HEADER_BYTES + runs.reduce((bytes, run) => bytes + runBytes(run.at.length), 0));
  out.writeUInt32LE(runs.length, 0);
  let cursor = SECTION_HEADER_BYTES;
  for (const { at } of runs) {
    const count = at.length;
    out.writeUInt32LE(rows.topicId(at[0]), cursor);
    out.writeUInt16LE(rows.queueId(at[0]), cursor + 4);
    out.writeDoubleLE(rows.offset(at[0]), cursor + 8);
    out.writeUInt32LE(count, cursor + 16);
    const positions = cursor + RUN_HEADER_BYTES;
    const sizes = positions + count * 8;
    const tags = sizes + count * 4;
    const groups = tags + count * 4;
    at.forEach((row, j) => {
      out.writeDoubleLE(rows.position(row), positions + j * 8);
      out.writeUInt32LE(rows.size(row), sizes + j * 4);
      out.writeUInt32LE(rows.tagHash(row), tags + j * 4);
      out.writeUInt32LE(rows.groupHash(row), groups + j * 4);
    });
    cursor += runBytes(count);
  }
  return out;
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
