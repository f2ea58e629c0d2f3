import { crc32 } from 'node:zlib';
import { type FileHandle, type FileSystem, isNotFound, writeFully } from '../storage/file-system';

/** One message record of a log segment, as the segment's index file lists it. */
export interface IndexEntry {
  topicId: number;
  queueId: number;
  offset: number;
  /** Absolute log position of the record and its size in bytes. */
  position: number;
  size: number;
  tagHash: number;
  groupHash: number;
  /** For lookups by message id and key without reading records. */
  idHash: number;
  keysBloom: number;
}

/*
 * Index file of a log segment (`<base>.idx`), little-endian:
 *   header  [magic "RMQI"][u16 version][u16 entry bytes][f64 segment base]
 *   entries [u32 topicId][u16 queueId][u16 reserved][f64 offset][u32 position - base][u32 size]
 *           [u32 tagHash][u32 groupHash][u32 idHash][u32 keysBloom]
 *   footer  [magic "RMQF"][u32 count][f64 covered segment bytes][f64 newest record time][u32 crc32 of all before][u32 0]
 * A file with a valid footer lists every message of the segment's first `covered` bytes: recovery loads
 * it instead of reading the segment. The active segment's file has no footer until a clean close.
 */
const HEADER_MAGIC = 0x49514d52; // "RMQI"
const FOOTER_MAGIC = 0x46514d52; // "RMQF"
const VERSION = 1;
const HEADER_BYTES = 16;
export const ENTRY_BYTES = 40;
const FOOTER_BYTES = 32;

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

export function encodeEntry(entry: IndexEntry, base: number, target = Buffer.allocUnsafe(ENTRY_BYTES), at = 0): Buffer {
  target.writeUInt32LE(entry.topicId, at);
  target.writeUInt16LE(entry.queueId, at + 4);
  target.writeUInt16LE(0, at + 6);
  target.writeDoubleLE(entry.offset, at + 8);
  target.writeUInt32LE(entry.position - base, at + 16);
  target.writeUInt32LE(entry.size, at + 20);
  target.writeUInt32LE(entry.tagHash, at + 24);
  target.writeUInt32LE(entry.groupHash, at + 28);
  target.writeUInt32LE(entry.idHash, at + 32);
  target.writeUInt32LE(entry.keysBloom, at + 36);
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

/** The sealed index of the segment at `base`, or undefined when it is missing, unsealed or damaged. */
export async function readSealedIndex(fileSystem: FileSystem, path: string, base: number): Promise<LoadedIndex | undefined> {
  const data = await readIfPresent(fileSystem, path);
  if (!data || data.length < HEADER_BYTES + FOOTER_BYTES || data.readUInt32LE(0) !== HEADER_MAGIC || data.readDoubleLE(8) !== base) return undefined;
  if (data.readUInt16LE(4) !== VERSION || data.readUInt16LE(6) !== ENTRY_BYTES) return undefined;
  const footer = data.length - FOOTER_BYTES;
  const count = data.readUInt32LE(footer + 4);
  if (data.readUInt32LE(footer) !== FOOTER_MAGIC || HEADER_BYTES + count * ENTRY_BYTES !== footer) return undefined;
  if (crc32(data.subarray(0, footer + 24)) !== data.readUInt32LE(footer + 24)) return undefined;
  return { base, data, view: viewOf(data), count, coveredBytes: data.readDoubleLE(footer + 8), newestTimestampMs: data.readDoubleLE(footer + 16) };
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

  get entryCount(): number {
    return this.count;
  }

  add(entry: IndexEntry): void {
    this.addEncoded(encodeEntry(entry, this.base));
  }

  addEncoded(entry: Buffer): void {
    this.buffered.push(entry);
    this.count++;
  }

  /** Writes what was added so far. */
  flush(): Promise<void> {
    return this.chain(() => this.writeBuffered());
  }

  /** Writes the footer and syncs: from now on recovery loads this file instead of scanning the segment. */
  seal(coveredBytes: number, newestTimestampMs: number): Promise<void> {
    return this.chain(async () => {
      await this.writeBuffered();
      const footer = Buffer.alloc(FOOTER_BYTES);
      footer.writeUInt32LE(FOOTER_MAGIC, 0);
      footer.writeUInt32LE(this.count, 4);
      footer.writeDoubleLE(coveredBytes, 8);
      footer.writeDoubleLE(newestTimestampMs, 16);
      footer.writeUInt32LE(crc32(footer.subarray(0, 24), this.crc), 24);
      const handle = await this.opened();
      await writeFully(handle, footer, this.written, this.path);
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
