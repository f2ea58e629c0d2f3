import { basename, dirname } from 'node:path';
import type { FileHandle, FileSystem, OpenOptions } from '../src/storage/file-system';
import type { Random } from './random';

type Pending = { kind: 'write'; position: number; data: Buffer } | { kind: 'truncate'; length: number };

/** A file's contents: what reads see now, and what survives a crash (the last synced state). */
class Inode {
  data: Buffer = Buffer.alloc(0);
  durable: Buffer = Buffer.alloc(0);
  /** Changes since the last sync, in order: a crash keeps a random prefix of them, the last one maybe torn. */
  pending: Pending[] = [];

  apply(change: Pending, target = this.data): Buffer {
    if (change.kind === 'truncate') {
      return change.length <= target.length ? Buffer.from(target.subarray(0, change.length)) : Buffer.concat([target, Buffer.alloc(change.length - target.length)]);
    }
    const end = change.position + change.data.length;
    const grown = end > target.length ? Buffer.concat([target, Buffer.alloc(end - target.length)]) : Buffer.from(target);
    change.data.copy(grown, change.position);
    return grown;
  }
}

/** A directory's names: as they are now, and as they survive a crash (the last synced listing). */
class Directory {
  current = new Map<string, Inode>();
  durable = new Map<string, Inode>();
}

export interface DiskFaults {
  /** Changes lost at a crash because they were not synced (writes, truncations, new names). */
  lostWrites: number;
  /** Writes cut part way at a crash. */
  tornWrites: number;
  /** Bits flipped in synced data. */
  flippedBits: { file: string; offset: number }[];
}

function crashed(): Error {
  return Object.assign(new Error('EIO: the simulated process crashed'), { code: 'EIO' });
}

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file ${path}`), { code: 'ENOENT' });
}

/**
 * The storage simulation's disk: files live in memory with their durable and not-yet-synced
 * contents apart. `crash()` keeps what was synced plus a random prefix of what was not (the last
 * change maybe torn), reverts unsynced directory changes at random, and kills every handle of the
 * dead process. `flipBit()` damages synced data as a bad sector would.
 */
export class SimulatedDisk {
  private readonly directories = new Map<string, Directory>();
  private epoch = 0;
  readonly faults: DiskFaults = { lostWrites: 0, tornWrites: 0, flippedBits: [] };

  constructor(private readonly random: Random) {}

  /** The disk as one process sees it: every call fails once that process has crashed. */
  mount(): FileSystem {
    const epoch = this.epoch;
    const alive = async () => {
      await this.tick();
      if (this.epoch !== epoch) throw crashed();
    };
    return {
      open: async (path, options) => (await alive(), this.open(path, options, epoch)),
      readFile: async (path) => (await alive(), this.readFile(path)),
      list: async (dir) => (await alive(), this.list(dir)),
      mkdir: async (dir) => (await alive(), this.mkdir(dir)),
      rename: async (from, to) => (await alive(), this.rename(from, to)),
      remove: async (path) => (await alive(), this.remove(path)),
      syncDirectory: async (dir) => (await alive(), this.syncDirectory(dir)),
    };
  }

  private open(path: string, options: OpenOptions = {}, epoch: number): FileHandle {
    const directory = this.directory(dirname(path));
    let inode = directory.current.get(basename(path));
    if (!inode) {
      if (!options.create) throw notFound(path);
      inode = new Inode();
      directory.current.set(basename(path), inode);
    }
    return this.handle(inode, epoch, options.syncWrites ?? false);
  }

  private readFile(path: string): Buffer {
    const inode = this.directories.get(dirname(path))?.current.get(basename(path));
    if (!inode) throw notFound(path);
    return Buffer.from(inode.data);
  }

  private list(dir: string): string[] {
    return [...(this.directories.get(dir)?.current.keys() ?? [])];
  }

  mkdir(dir: string): void {
    for (let path = dir; !this.directories.has(path); path = dirname(path)) {
      this.directories.set(path, new Directory());
      if (path === dirname(path)) break;
    }
  }

  private rename(from: string, to: string): void {
    const source = this.directory(dirname(from));
    const inode = source.current.get(basename(from));
    if (!inode) throw notFound(from);
    source.current.delete(basename(from));
    this.directory(dirname(to)).current.set(basename(to), inode);
  }

  private remove(path: string): void {
    this.directories.get(dirname(path))?.current.delete(basename(path));
  }

  private syncDirectory(dir: string): void {
    const directory = this.directory(dir);
    directory.durable = new Map(directory.current);
  }

  /** The process dies: unsynced changes survive in part, at random; open handles stop working. */
  crash(): void {
    this.epoch++;
    const inodes = new Set<Inode>();
    for (const directory of this.directories.values()) {
      const names = new Set([...directory.current.keys(), ...directory.durable.keys()]);
      for (const name of names) {
        const now = directory.current.get(name);
        const synced = directory.durable.get(name);
        if (now === synced) continue;
        // An unsynced directory change: either it reached the disk or it did not.
        const kept = this.random.chance(0.5) ? now : synced;
        if (kept !== now) this.faults.lostWrites++;
        if (kept) directory.current.set(name, kept);
        else directory.current.delete(name);
      }
      directory.durable = new Map(directory.current);
      for (const inode of directory.current.values()) inodes.add(inode);
    }
    for (const inode of inodes) this.settleAfterCrash(inode);
  }

  /** Flips one bit of synced data in a file whose path matches `pattern`; returns where, or undefined. */
  flipBit(pattern: RegExp): { file: string; offset: number } | undefined {
    const candidates = [...this.directories].flatMap(([dir, directory]) =>
      [...directory.current].map(([name, inode]) => ({ file: `${dir}/${name}`, inode })).filter(({ file, inode }) => pattern.test(file) && inode.durable.length > 0),
    );
    if (candidates.length === 0) return undefined;
    const { file, inode } = this.random.pick(candidates);
    const offset = this.random.int(inode.durable.length);
    const bit = 1 << this.random.int(8);
    inode.durable[offset] ^= bit;
    if (offset < inode.data.length) inode.data[offset] ^= bit;
    const flip = { file, offset };
    this.faults.flippedBits.push(flip);
    return flip;
  }

  private settleAfterCrash(inode: Inode): void {
    let data: Buffer = Buffer.from(inode.durable);
    const keep = this.random.int(inode.pending.length + 1);
    for (let i = 0; i < keep; i++) {
      const change = inode.pending[i];
      if (i === keep - 1 && change.kind === 'write' && change.data.length > 1 && this.random.chance(0.3)) {
        this.faults.tornWrites++;
        data = inode.apply({ kind: 'write', position: change.position, data: change.data.subarray(0, 1 + this.random.int(change.data.length - 1)) }, data);
      } else {
        data = inode.apply(change, data);
      }
    }
    this.faults.lostWrites += inode.pending.length - keep;
    inode.data = data;
    inode.durable = Buffer.from(data);
    inode.pending = [];
  }

  private directory(path: string): Directory {
    const directory = this.directories.get(path);
    if (!directory) throw notFound(path);
    return directory;
  }

  /** Every operation completes after a few microtasks, so concurrent work interleaves differently per seed. */
  private async tick(): Promise<void> {
    for (let hops = this.random.int(3); hops >= 0; hops--) await null;
  }

  private handle(inode: Inode, epoch: number, syncWrites: boolean): FileHandle {
    const alive = async () => {
      await this.tick();
      if (this.epoch !== epoch) throw crashed();
    };
    const sync = () => {
      inode.durable = Buffer.from(inode.data);
      inode.pending = [];
    };
    const write = async (data: Buffer, position: number) => {
      await alive();
      const change: Pending = { kind: 'write', position, data };
      inode.pending.push(change);
      inode.data = inode.apply(change);
      if (!syncWrites) return;
      // An O_DSYNC write is in flight until it returns: a crash meanwhile may lose or tear it.
      await alive();
      sync();
    };
    return {
      read: async (buffer, offset, length, position) => {
        await alive();
        const available = Math.max(0, Math.min(length, inode.data.length - position));
        inode.data.copy(buffer, offset, position, position + available);
        return available;
      },
      write: async (buffer, offset, length, position) => {
        await write(Buffer.from(buffer.subarray(offset, offset + length)), position);
        return length;
      },
      writev: async (buffers, position) => {
        const data = Buffer.concat(buffers);
        await write(data, position);
        return data.length;
      },
      datasync: async () => {
        await alive();
        sync();
      },
      truncate: async (length) => {
        await alive();
        const change: Pending = { kind: 'truncate', length };
        inode.pending.push(change);
        inode.data = inode.apply(change);
      },
      size: async () => {
        await alive();
        return inode.data.length;
      },
      close: async () => undefined,
    };
  }
}
