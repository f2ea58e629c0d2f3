import { join } from 'node:path';
import { type FileHandle, type FileSystem, readFully, writevFully } from './file-system';

const SEGMENT_FILE = /^(\d{20})\.log$/;

export function segmentFileName(base: number): string {
  return `${String(base).padStart(20, '0')}.log`;
}

/** One segment file holding the records at log positions [base, base + size). */
export class Segment {
  /** Append time of the newest record; -Infinity while none is known, so age-based retention may take it. */
  newestTimestampMs = -Infinity;
  private handlePromise: Promise<FileHandle> | undefined;

  constructor(
    private readonly fileSystem: FileSystem,
    readonly dir: string,
    readonly base: number,
    /** Bytes assigned to this segment, including those still queued for writing. */
    public size: number,
    /** Whether the file exists on disk with its directory entry synced. */
    public fileExists: boolean,
    /** Writes are durable when they resolve (the log syncs its appends). */
    private readonly syncWrites: boolean,
  ) {}

  get name(): string {
    return segmentFileName(this.base);
  }

  get path(): string {
    return join(this.dir, this.name);
  }

  get end(): number {
    return this.base + this.size;
  }

  /** Opened lazily, creating the file, and kept open for reads and writes. */
  private handle(): Promise<FileHandle> {
    this.handlePromise ??= this.fileSystem.open(this.path, { create: true, syncWrites: this.syncWrites });
    return this.handlePromise;
  }

  /** Writes `records` one after the other from `fileOffset`: durable on return when the segment syncs its writes. */
  async writeAt(records: readonly Buffer[], fileOffset: number): Promise<void> {
    await writevFully(await this.handle(), records, fileOffset, this.path);
  }

  async readAt(length: number, fileOffset: number): Promise<Buffer> {
    return readFully(await this.handle(), length, fileOffset, this.path);
  }

  readAll(): Promise<Buffer> {
    return this.fileSystem.readFile(this.path);
  }

  /** Cuts the file to `size` bytes and makes the new length durable. */
  async truncate(size: number): Promise<void> {
    const handle = await this.handle();
    await handle.truncate(size);
    await handle.datasync();
    this.size = size;
  }

  async close(): Promise<void> {
    const opening = this.handlePromise;
    this.handlePromise = undefined;
    // A handle that failed to open has nothing to close; the open error already reached its caller.
    const handle = await opening?.catch(() => undefined);
    await handle?.close();
  }

  async delete(): Promise<void> {
    await this.close();
    await this.fileSystem.remove(this.path);
  }
}

/** The segment files in `dir`, oldest first. */
export async function listSegments(fileSystem: FileSystem, dir: string, syncWrites: boolean): Promise<Segment[]> {
  // Zero-padded names sort lexically in base order.
  const names = (await fileSystem.list(dir)).filter((name) => SEGMENT_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const handle = await fileSystem.open(join(dir, name));
      try {
        return new Segment(fileSystem, dir, Number(name.slice(0, 20)), await handle.size(), true, syncWrites);
      } finally {
        await handle.close();
      }
    }),
  );
}
