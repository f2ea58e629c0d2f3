import { crc32 } from 'node:zlib';
import { type FileHandle, type FileSystem, isNotFound, writeFully, writevFully } from '../storage/file-system';
import { decodeRuns, type QueueRun, QueueRunsBuilder, type RunRow, runsReadable } from './queue-runs';

/** One message record of a log segment, as the segment's index file lists it. */
export interface IndexEntry extends RunRow {
  /** For lookups by message id and key without reading records. */
  idHash: number;
  keysBloom: number;
}

/*
 * Index file of a log segment (`<base>.idx`), little-endian:
 *   header  [magic "RMQI"][u16 version][u16 entry bytes][f64 segment base]
 *   entries [u32 topicId][u16 queueId][u16 reserved][f64 offset][u32 position - base][u32 size]
 *           [u32 tagHash][u32 groupHash][u32 idHash][u32 keysBloom]
 *   runs    the entries again, grouped per queue as columns (queue-runs.ts)
 *   footer  [magic "RMQR"][u32 count][f64 covered segment bytes][f64 newest record time]
 *           [u32 crc32 of header and entries][u32 runs bytes][u32 crc32 of runs][u32 crc32 of the footer before]
 * A file with a valid footer lists every message of the segment's first `covered` bytes: recovery loads
 * its runs (reading neither the entries nor the segment), so start-up costs a few memcpys per queue
 * and segment instead of work per message. The active segment's file has no footer until a clean close.
 * Files sealed before runs existed end in [magic "RMQF"][u32 count][f64 covered][f64 newest][u32 crc32
 * of all before][u32 0] instead; recovery decodes their entries.
 */
const HEADER_MAGIC = 0x49514d52; // "RMQI"
const ENTRIES_FOOTER_MAGIC = 0x46514d52; // "RMQF"
const RUNS_FOOTER_MAGIC = 0x52514d52; // "RMQR"
const VERSION = 1;
const HEADER_BYTES = 16;
export const ENTRY_BYTES = 40;
const ENTRIES_FOOTER_BYTES = 32;
const RUNS_FOOTER_BYTES = 40;

export function indexFileName(base: number): string {
  return `${String(base).padStart(20, '0')}.idx`;
}

function encodeHeader(base: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(HEADER_MAGIC, 0);
  header.writeUInt16LE(VERSION, 4);
  header.writeUInt16LE(ENTRY_BYTES, 6);
  header.writeDoubleLE(base, 8);
  return header;
}

function encodeEntry(entry: IndexEntry, base: number): Buffer {
  const target = Buffer.allocUnsafe(ENTRY_BYTES);
  target.writeUInt32LE(entry.topicId, 0);
  target.writeUInt16LE(entry.queueId, 4);
  target.writeUInt16LE(0, 6);
  target.writeDoubleLE(entry.offset, 8);
  target.writeUInt32LE(entry.position - base, 16);
  target.writeUInt32LE(entry.size, 20);
  target.writeUInt32LE(entry.tagHash, 24);
  target.writeUInt32LE(entry.groupHash, 28);
  target.writeUInt32LE(entry.idHash, 32);
  target.writeUInt32LE(entry.keysBloom, 36);
  return target;
}

export function blankEntry(): IndexEntry {
  return { topicId: 0, queueId: 0, offset: 0, position: 0, size: 0, tagHash: 0, groupHash: 0, idHash: 0, keysBloom: 0 };
}

/** Entry `i` of a loaded index, written into `into` when given (recovery reads millions: no object each). */
export function decodeEntry(index: LoadedIndex, i: number, into: IndexEntry = blankEntry()): IndexEntry {
  // A DataView: Buffer's read methods check their arguments on every call, which shows at millions of entries.
  const { view, base } = index;
  const at = HEADER_BYTES + i * ENTRY_BYTES;
  into.topicId = view.getUint32(at, true);
  into.queueId = view.getUint16(at + 4, true);
  into.offset = view.getFloat64(at + 8, true);
  into.position = base + view.getUint32(at + 16, true);
  into.size = view.getUint32(at + 20, true);
  into.tagHash = view.getUint32(at + 24, true);
  into.groupHash = view.getUint32(at + 28, true);
  into.idHash = view.getUint32(at + 32, true);
  into.keysBloom = view.getUint32(at + 36, true);
  return into;
}

export interface LoadedIndex {
  base: number;
  data: Buffer;
  view: DataView;
  count: number;
  coveredBytes: number;
  newestTimestampMs: number;
}

async function readIfPresent(fileSystem: FileSystem, path: string): Promise<Buffer | undefined> {
  try {
    return await fileSystem.readFile(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const viewOf = (data: Buffer) => new DataView(data.buffer, data.byteOffset, data.byteLength);

/** Where a sealed file's parts are, from its footer; undefined when there is no valid footer. */
interface Footer {
  count: number;
  coveredBytes: number;
  newestTimestampMs: number;
  entriesCrc: number;
  /** Bytes from the file's start that `entriesCrc` covers. */
  entriesCrcBytes: number;
  /** Zero in files sealed before runs existed. */
  runsBytes: number;
  runsCrc: number;
}

function parseFooter(tail: Buffer, fileBytes: number): Footer | undefined {
  const runsAt = tail.length - RUNS_FOOTER_BYTES;
  if (runsAt >= 0 && tail.readUInt32LE(runsAt) === RUNS_FOOTER_MAGIC && crc32(tail.subarray(runsAt, runsAt + 36)) === tail.readUInt32LE(runsAt + 36)) {
    const count = tail.readUInt32LE(runsAt + 4);
    const entriesEnd = HEADER_BYTES + count * ENTRY_BYTES;
    const runsBytes = tail.readUInt32LE(runsAt + 28);
    if (entriesEnd + runsBytes + RUNS_FOOTER_BYTES !== fileBytes) return undefined;
    return { count, coveredBytes: tail.readDoubleLE(runsAt + 8), newestTimestampMs: tail.readDoubleLE(runsAt + 16), entriesCrc: tail.readUInt32LE(runsAt + 24), entriesCrcBytes: entriesEnd, runsBytes, runsCrc: tail.readUInt32LE(runsAt + 32) };
  }
  const at = tail.length - ENTRIES_FOOTER_BYTES;
  if (at < 0 || tail.readUInt32LE(at) !== ENTRIES_FOOTER_MAGIC) return undefined;
  const count = tail.readUInt32LE(at + 4);
  const entriesEnd = HEADER_BYTES + count * ENTRY_BYTES;
  if (entriesEnd + ENTRIES_FOOTER_BYTES !== fileBytes) return undefined;
  // This older footer's crc also covers its own first 24 bytes.
  return { count, coveredBytes: tail.readDoubleLE(at + 8), newestTimestampMs: tail.readDoubleLE(at + 16), entriesCrc: tail.readUInt32LE(at + 24), entriesCrcBytes: entriesEnd + 24, runsBytes: 0, runsCrc: 0 };
}

function validHeader(header: Buffer, base: number): boolean {
  return header.length >= HEADER_BYTES && header.readUInt32LE(0) === HEADER_MAGIC && header.readUInt16LE(4) === VERSION && header.readUInt16LE(6) === ENTRY_BYTES && header.readDoubleLE(8) === base;
}

/** The sealed index of the segment at `base`, or undefined when it is missing, unsealed or damaged. */
export async function readSealedIndex(fileSystem: FileSystem, path: string, base: number): Promise<LoadedIndex | undefined> {
  const data = await readIfPresent(fileSystem, path);
  if (!data || !validHeader(data, base)) return undefined;
  const footer = parseFooter(data.subarray(-RUNS_FOOTER_BYTES), data.length);
  if (!footer) return undefined;
  if (crc32(data.subarray(0, footer.entriesCrcBytes)) !== footer.entriesCrc) return undefined;
  const entriesEnd = HEADER_BYTES + footer.count * ENTRY_BYTES;
  return { base, data: data.subarray(0, entriesEnd), view: viewOf(data), count: footer.count, coveredBytes: footer.coveredBytes, newestTimestampMs: footer.newestTimestampMs };
}

/** A sealed index's entries as runs per queue: only its footer and runs are read. */
export interface SealedRuns {
  runs: QueueRun[];
  count: number;
  coveredBytes: number;
  newestTimestampMs: number;
}

/** The runs of a sealed index, or undefined when it has none (older file, damage, other byte order): use its entries. */
export async function readSealedRuns(fileSystem: FileSystem, path: string, base: number): Promise<SealedRuns | undefined> {
  if (!runsReadable) return undefined;
  let handle: FileHandle;
  try {
    handle = await fileSystem.open(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    const fileBytes = await handle.size();
    if (fileBytes < HEADER_BYTES + RUNS_FOOTER_BYTES) return undefined;
    const header = await readAt(handle, 0, HEADER_BYTES);
    const footer = parseFooter(await readAt(handle, fileBytes - RUNS_FOOTER_BYTES, RUNS_FOOTER_BYTES), fileBytes);
    if (!validHeader(header, base) || !footer || footer.runsBytes === 0) return undefined;
    const section = await readAt(handle, HEADER_BYTES + footer.count * ENTRY_BYTES, footer.runsBytes);
    if (crc32(section) !== footer.runsCrc) return undefined;
    const runs = decodeRuns(section);
    if (!runs || runs.reduce((total, run) => total + run.positions.length, 0) !== footer.count) return undefined;
    return { runs, count: footer.count, coveredBytes: footer.coveredBytes, newestTimestampMs: footer.newestTimestampMs };
  } finally {
    await handle.close();
  }
}

/** Up to `length` bytes at `position`, by default into a fresh, 8-byte-aligned buffer (typed-array views need the alignment). */
async function readAt(handle: FileHandle, position: number, length: number, buffer: Buffer = Buffer.allocUnsafeSlow(length)): Promise<Buffer> {
  let filled = 0;
  while (filled < length) {
    const read = await handle.read(buffer, filled, length - filled, position + filled);
    if (read === 0) return buffer.subarray(0, filled);
    filled += read;
  }
  return buffer;
}

/** The entries of an index, sealed or still being written (for lookups, which tolerate a stale list). */
export async function readIndexEntries(fileSystem: FileSystem, path: string, base: number): Promise<LoadedIndex | undefined> {
  const sealed = await readSealedIndex(fileSystem, path, base);
  if (sealed) return sealed;
  const data = await readIfPresent(fileSystem, path);
  if (!data || data.length < HEADER_BYTES || data.readUInt32LE(0) !== HEADER_MAGIC) return undefined;
  return { base, data, view: viewOf(data), count: Math.floor((data.length - HEADER_BYTES) / ENTRY_BYTES), coveredBytes: 0, newestTimestampMs: -Infinity };
}

/**
 * Appends the entries of the active segment's index file. Entries are written after their records
 * are durable but not synced themselves: after a crash the active segment is scanned and its index
 * rewritten, so only sealed files (synced, with a footer) are trusted. File work is chained, so
 * `add` never waits.
 */
export class SegmentIndexWriter {
  private buffered: Buffer[] = [];
  /** The entries again, grouped per queue as they come: the runs section that sealing writes. */
  private readonly runs = new QueueRunsBuilder();
  private work: Promise<unknown>;
  private handle: FileHandle | undefined;
  private written: number;
  private crc: number;
  private count: number;

  private constructor(
    private readonly fileSystem: FileSystem,
    private readonly path: string,
    readonly base: number,
    resumed: LoadedIndex | undefined,
  ) {
    if (resumed) {
      // Continue a sealed index after a clean restart: the footer is cut off, appends follow the last entry.
      this.written = HEADER_BYTES + resumed.count * ENTRY_BYTES;
      this.crc = crc32(resumed.data.subarray(0, this.written));
      this.count = resumed.count;
      const entry = blankEntry();
      for (let i = 0; i < resumed.count; i++) this.runs.add(decodeEntry(resumed, i, entry));
      this.work = this.open(false).then((handle) => handle.truncate(this.written));
    } else {
      const header = encodeHeader(base);
      this.written = HEADER_BYTES;
      this.crc = crc32(header);
      this.count = 0;
      this.work = this.open(true).then(async (handle) => {
        await handle.truncate(0);
        await writeFully(handle, header, 0, path);
      });
    }
    // A failed open reaches every later flush and seal; it must not also be an unhandled rejection.
    this.work.catch(() => undefined);
  }

  /** A new, empty index, replacing whatever the file held. */
  static create(fileSystem: FileSystem, path: string, base: number): SegmentIndexWriter {
    return new SegmentIndexWriter(fileSystem, path, base, undefined);
  }

  static resume(fileSystem: FileSystem, path: string, loaded: LoadedIndex): SegmentIndexWriter {
    return new SegmentIndexWriter(fileSystem, path, loaded.base, loaded);
  }

  add(entry: IndexEntry): void {
    this.buffered.push(encodeEntry(entry, this.base));
    this.runs.add(entry);
    this.count++;
  }

  /** Writes what was added so far. */
  flush(): Promise<void> {
    return this.chain(() => this.writeBuffered());
  }

  /**
   * Writes the runs and the footer, and syncs: from now on recovery loads this file's runs instead of
   * scanning the segment.
   */
  seal(coveredBytes: number, newestTimestampMs: number): Promise<void> {
    return this.chain(async () => {
      await this.writeBuffered();
      const handle = await this.opened();
      const runs = this.runs.encode();
      const footer = Buffer.alloc(RUNS_FOOTER_BYTES);
      footer.writeUInt32LE(RUNS_FOOTER_MAGIC, 0);
      footer.writeUInt32LE(this.count, 4);
      footer.writeDoubleLE(coveredBytes, 8);
      footer.writeDoubleLE(newestTimestampMs, 16);
      footer.writeUInt32LE(this.crc, 24);
      footer.writeUInt32LE(runs.length, 28);
      footer.writeUInt32LE(crc32(runs), 32);
      footer.writeUInt32LE(crc32(footer.subarray(0, 36)), 36);
      await writevFully(handle, [runs, footer], this.written, this.path);
      await handle.datasync();
    });
  }

  async close(): Promise<void> {
    await this.work.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }

  private chain(step: () => Promise<void>): Promise<void> {
    const next = this.work.then(step);
    this.work = next.catch(() => undefined);
    return next;
  }

  private async open(create: boolean): Promise<FileHandle> {
    this.handle = await this.fileSystem.open(this.path, { create });
    return this.handle;
  }

  private async opened(): Promise<FileHandle> {
    if (!this.handle) throw new Error(`index ${this.path} could not be opened`);
    return this.handle;
  }

  private async writeBuffered(): Promise<void> {
    if (this.buffered.length === 0) return;
    const data = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
    this.buffered = [];
    await writeFully(await this.opened(), data, this.written, this.path);
    this.crc = crc32(data, this.crc);
    this.written += data.length;
  }
}
