import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

const SEGMENT_FILE = /^(\d{20})\.log$/;

export function segmentFileName(base: number): string {
  return `${String(base).padStart(20, '0')}.log`;
}

/** One segment file holding the records at global positions [base, base + size). */
export class Segment {
  /**
   * Append time of the newest record. -Infinity while no record is known, so that retention treats a segment
   * with nothing readable in it as expired.
   */
  newestTimestampMs = -Infinity;
  private handlePromise: Promise<FileHandle> | undefined;

  constructor(
    readonly dir: string,
    readonly base: number,
    /** Bytes assigned to this segment, including those still queued for writing. */
    public size: number,
    /** Whether the file has been created (and, with fsync, its directory entry synced). */
    public fileExists: boolean,
  ) {}

  get name(): string {
    return segmentFileName(this.base);
  }

  get path(): string {
    return path.join(this.dir, this.name);
  }

  get end(): number {
    return this.base + this.size;
  }

  /** Opened lazily, creating the file, and kept open for both reads and writes. */
  private handle(): Promise<FileHandle> {
    this.handlePromise ??= fs.open(this.path, constants.O_RDWR | constants.O_CREAT, 0o644);
    return this.handlePromise;
  }

  async writeAt(data: Buffer, fileOffset: number): Promise<void> {
    const handle = await this.handle();
    // A short write means the OS stopped part way (e.g. disk full); retrying surfaces the actual error.
    for (let done = 0; done < data.length; ) {
      const { bytesWritten } = await handle.write(data, done, data.length - done, fileOffset + done);
      if (bytesWritten === 0) throw new Error(`write to ${this.path} made no progress`);
      done += bytesWritten;
    }
  }

  async readAt(length: number, fileOffset: number): Promise<Buffer> {
    const handle = await this.handle();
    const data = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const { bytesRead } = await handle.read(data, done, length - done, fileOffset + done);
      if (bytesRead === 0) throw new Error(`short read in ${this.path} at offset ${fileOffset + done}`);
      done += bytesRead;
    }
    return data;
  }

  readAll(): Promise<Buffer> {
    return fs.readFile(this.path);
  }

  async datasync(): Promise<void> {
    await (await this.handle()).datasync();
  }

  /** Cuts the file to `size` bytes and makes the new length durable. */
  async truncate(size: number): Promise<void> {
    const handle = await this.handle();
    await handle.truncate(size);
    await handle.sync();
    this.size = size;
  }

  async close(): Promise<void> {
    const opening = this.handlePromise;
    this.handlePromise = undefined;
    // A handle that failed to open has nothing to close; the open error was already reported to its caller.
    const handle = await opening?.catch(() => undefined);
    await handle?.close();
  }

  async delete(): Promise<void> {
    await this.close();
    await fs.unlink(this.path);
  }
}

/** The segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<Segment[]> {
  // Zero-padded names sort lexically in base order.
  const names = (await fs.readdir(dir)).filter((name) => SEGMENT_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const { size } = await fs.stat(path.join(dir, name));
      return new Segment(dir, Number(name.slice(0, 20)), size, true);
    }),
  );
}

/** A newly created file survives a crash only once the directory entry naming it is synced. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
