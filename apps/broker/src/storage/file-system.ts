import * as fsCallback from 'node:fs';
import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';

/** An open file: positional reads and writes, the only way storage touches file contents. */
export interface FileHandle {
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; returns the bytes read (0 at the end). */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** Writes `length` bytes of `buffer` from `offset` at `position`; returns the bytes written. */
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** Writes `buffers` one after the other at `position` with one call (no concatenation); returns the bytes written. */
  writev(buffers: readonly Buffer[], position: number): Promise<number>;
  /** Makes the written contents durable (fdatasync). */
  datasync(): Promise<void>;
  /** Cuts or extends the file to `length` bytes. */
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface OpenOptions {
  create?: boolean;
  syncWrites?: boolean;
}

/**
 * The small file interface the broker's storage runs on. Production uses the real disk
 * (`nodeFileSystem`); the storage simulation replaces it with a disk that tears writes, loses what
 * was not synced when the process died, and flips bits (apps/broker/sim).
 */
export interface FileSystem {
  /**
   * Opens for reading and writing, creating the file when `create` is set. With `syncWrites` a write
   * is durable once it resolves (O_DSYNC): one call instead of a write and an fdatasync.
   */
  open(path: string, options?: OpenOptions): Promise<FileHandle>;
  /** The whole file; rejects with code ENOENT when it does not exist. */
  readFile(path: string): Promise<Buffer>;
  /** Names in `dir`; an empty list when the directory does not exist. */
  list(dir: string): Promise<string[]>;
  /** Creates `dir` and its parents. */
  mkdir(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file; a file that does not exist is not an error. */
  remove(path: string): Promise<void>;
  /** A created, renamed or deleted name survives a crash only once its directory is synced. */
  syncDirectory(dir: string): Promise<void>;
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Settles a promise from a Node callback. */
function settle<T>(resolve: (value: T) => void, reject: (error: Error) => void) {
  return (error: Error | null, value: T) => (error ? reject(error) : resolve(value));
}

/**
 * A file descriptor driven through the callback API: fs/promises' FileHandle costs 10–30 µs more CPU
 * per call (a promise request object with its own stat arrays), and the log makes several calls per
 * batch of messages.
 */
class NodeFileHandle implements FileHandle {
  constructor(private readonly fd: number) {}

  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return new Promise((resolve, reject) => fsCallback.read(this.fd, buffer, offset, length, position, settle(resolve, reject)));
  }

  write(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return new Promise((resolve, reject) => fsCallback.write(this.fd, buffer, offset, length, position, settle(resolve, reject)));
  }

  writev(buffers: readonly Buffer[], position: number): Promise<number> {
    return new Promise((resolve, reject) => fsCallback.writev(this.fd, buffers as Buffer[], position, (error, written) => (error ? reject(error) : resolve(written))));
  }

  datasync(): Promise<void> {
    return new Promise((resolve, reject) => fsCallback.fdatasync(this.fd, settle(resolve, reject)));
  }

  truncate(length: number): Promise<void> {
    return new Promise((resolve, reject) => fsCallback.ftruncate(this.fd, length, settle(resolve, reject)));
  }

  size(): Promise<number> {
    return new Promise((resolve, reject) => fsCallback.fstat(this.fd, (error, stats) => (error ? reject(error) : resolve(stats.size))));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => fsCallback.close(this.fd, settle(resolve, reject)));
  }
}

export const nodeFileSystem: FileSystem = {
  async open(path, options = {}) {
    const flags = constants.O_RDWR | (options.create ? constants.O_CREAT : 0) | (options.syncWrites ? constants.O_DSYNC : 0);
    const fd = await new Promise<number>((resolve, reject) => fsCallback.open(path, flags, 0o644, settle(resolve, reject)));
    return new NodeFileHandle(fd);
  },
  async readFile(path) {
    // One read of the whole file: fs.readFile reads in chunks, a thread-pool round trip each.
    const handle = await fs.open(path, 'r');
    try {
      const { size } = await handle.stat();
      const data = Buffer.allocUnsafe(size);
      let done = 0;
      while (done < size) {
        const { bytesRead } = await handle.read(data, done, size - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === size ? data : data.subarray(0, done);
    } finally {
      await handle.close();
    }
  },
  async list(dir) {
    try {
      return await fs.readdir(dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  },
  async mkdir(dir) {
    await fs.mkdir(dir, { recursive: true });
  },
  rename: (from, to) => fs.rename(from, to),
  async remove(path) {
    await fs.rm(path, { force: true });
  },
  async syncDirectory(dir) {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Writes all of `data` at `position`, retrying short writes (a short write that makes no progress is an error). */
export async function writeFully(handle: FileHandle, data: Buffer, position: number, what: string): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const written = await handle.write(data, done, data.length - done, position + done);
    if (written === 0) throw new Error(`write to ${what} made no progress at offset ${position + done}`);
    done += written;
  }
}

/** Writes all of `buffers` at `position` with as few calls as the kernel allows, retrying short writes. */
export async function writevFully(handle: FileHandle, buffers: readonly Buffer[], position: number, what: string): Promise<void> {
  let rest = buffers;
  for (let at = position; rest.length > 0; ) {
    const written = await handle.writev(rest, at);
    if (written === 0) throw new Error(`write to ${what} made no progress at offset ${at}`);
    at += written;
    rest = withoutFirstBytes(rest, written);
  }
}

/** `buffers` after their first `count` bytes (views, no copies). */
function withoutFirstBytes(buffers: readonly Buffer[], count: number): readonly Buffer[] {
  let skip = count;
  let i = 0;
  while (i < buffers.length && skip >= buffers[i].length) skip -= buffers[i++].length;
  if (i === buffers.length) return [];
  return skip === 0 ? buffers.slice(i) : [buffers[i].subarray(skip), ...buffers.slice(i + 1)];
}

/** Reads exactly `length` bytes at `position`; fails on a short file. */
export async function readFully(handle: FileHandle, length: number, position: number, what: string): Promise<Buffer> {
  const data = Buffer.allocUnsafe(length);
  for (let done = 0; done < length; ) {
    const read = await handle.read(data, done, length - done, position + done);
    if (read === 0) throw new Error(`short read in ${what} at offset ${position + done}: wanted ${length} bytes`);
    done += read;
  }
  return data;
}

/**
 * Replaces `path` atomically and durably: a temporary file, fsync, rename over the old one, fsync
 * of the directory. A crash leaves either the old or the new contents, never a mix or nothing.
 */
export async function writeFileAtomically(fileSystem: FileSystem, path: string, data: Buffer): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await fileSystem.open(temporary, { create: true });
  try {
    await handle.truncate(0);
    await writeFully(handle, data, 0, temporary);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fileSystem.rename(temporary, path);
  await fileSystem.syncDirectory(dirname(path));
}
