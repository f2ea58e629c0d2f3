import { promises as fs } from 'node:fs';
import { decodeRecord, encodeRecord, RECORD_PREFIX_BYTES, scanRecords, type RecordVisitor } from './record-codec';
import { listSegments, Segment, syncDirectory } from './segment';
import { WriteBatch, type WriteChunk } from './write-batch';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface CommitLogOptions {
  /** Roll to a new segment file once the active one reaches this size (default 64 MiB). */
  segmentBytes: number;
  /** When true, durable promises resolve only after fdatasync of the written bytes. */
  fsync: boolean;
}

export interface RecoveryReport {
  /** Segment files found. */
  segments: number;
  /** Valid records visited. */
  records: number;
  /** On-disk bytes of the visited records. */
  bytes: number;
  /** Bytes cut off the torn or corrupt tail of the last segment. */
  truncatedBytes: number;
  /** File names of older segments in which reading stopped at a corrupt record. */
  corruptSegments: string[];
}

export interface AppendResult {
  position: number;
  durable: Promise<void>;
}

export interface CommitLogStats {
  /** Write calls issued for record data. */
  readonly writes: number;
  /** fdatasync calls issued for record data. */
  readonly syncs: number;
}

type State = 'opened' | 'replaying' | 'ready';

/**
 * Append-only record log split into segment files named by their base position. Appends are group-committed:
 * while one write+fdatasync is in flight, new records accumulate into the next batch.
 */
export class CommitLog {
  private readonly counters = { writes: 0, syncs: 0 };
  private state: State = 'opened';
  private closing: Promise<void> | undefined;
  /** The batch collecting appends until the writer picks it up. */
  private pending: WriteBatch | undefined;
  /** The newest batch; it settles last, so flush() waits for it. */
  private lastBatch: WriteBatch | undefined;
  private draining: Promise<void> | undefined;
  private failure: Error | undefined;
  /** Everything below this position has been written (and synced, with fsync). */
  private persistedEnd = 0;
  private totalBytes = 0;

  private constructor(
    private readonly dir: string,
    private readonly options: CommitLogOptions,
    /** Oldest first; never empty, the last one is the active segment. */
    private readonly segments: Segment[],
  ) {}

  static async open(dir: string, options: CommitLogOptions): Promise<CommitLog> {
    if (!Number.isSafeInteger(options.segmentBytes) || options.segmentBytes <= 0) {
      throw new RangeError(`segmentBytes must be a positive integer, got ${options.segmentBytes}`);
    }
    await fs.mkdir(dir, { recursive: true });
    const segments = await listSegments(dir);
    if (segments.length === 0) segments.push(new Segment(dir, 0, 0, false));
    return new CommitLog(dir, options, segments);
  }

  get firstPosition(): number {
    return this.segments[0].base;
  }

  get endPosition(): number {
    return this.active.end;
  }

  get sizeBytes(): number {
    return this.totalBytes;
  }

  get stats(): CommitLogStats {
    return { ...this.counters };
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  async replay(visit: RecordVisitor): Promise<RecoveryReport> {
    if (this.closing) throw new Error('CommitLog is closed');
    if (this.state !== 'opened') throw new Error('replay() must be called exactly once, right after open()');
    this.state = 'replaying';
    const report: RecoveryReport = { segments: 0, records: 0, bytes: 0, truncatedBytes: 0, corruptSegments: [] };
    for (const segment of this.segments) {
      if (!segment.fileExists) continue;
      report.segments++;
      const scan = scanRecords(await segment.readAll(), segment.base, visit);
      report.records += scan.records;
      report.bytes += scan.validBytes;
      segment.newestTimestampMs = scan.newestTimestampMs;
      if (scan.problem === undefined) continue;
      if (segment === this.active) {
        // A torn tail is what a crash mid-write leaves behind; cut it so new appends follow the last valid record.
        report.truncatedBytes += segment.size - scan.validBytes;
        await segment.truncate(scan.validBytes);
      } else {
        report.corruptSegments.push(segment.name);
      }
    }
    this.totalBytes = this.segments.reduce((sum, segment) => sum + segment.size, 0);
    this.persistedEnd = this.endPosition;
    this.state = 'ready';
    return report;
  }

  append(type: number, payload: Buffer): AppendResult {
    this.assertReady('append');
    if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new RangeError(`record type must be a u8, got ${type}`);
    const timestampMs = Date.now();
    const record = encodeRecord(type, timestampMs, payload);
    const segment = this.segmentForAppend();
    const position = segment.end;
    const batch = (this.pending ??= this.startBatch());
    batch.add(segment, segment.size, record);
    segment.size += record.length;
    segment.newestTimestampMs = Math.max(segment.newestTimestampMs, timestampMs);
    this.totalBytes += record.length;
    this.draining ??= this.drain();
    return { position, durable: batch.durable };
  }

  async read(position: number): Promise<Buffer> {
    this.assertReady('read');
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.endPosition) {
      throw new RangeError(`no record at position ${position}: the log ends at ${this.endPosition}`);
    }
    if (position < this.firstPosition) {
      throw new RangeError(`position ${position} was removed by retention; the log starts at ${this.firstPosition}`);
    }
    // The record may still be queued in memory.
    if (position >= this.persistedEnd) await this.flush();
    const segment = this.segmentContaining(position);
    const offset = position - segment.base;
    const bodyLength = (await segment.readAt(RECORD_PREFIX_BYTES, offset)).readUInt32LE(0);
    // Clamped so that a garbage length (position not at a record start) cannot ask for a huge buffer.
    const size = Math.min(RECORD_PREFIX_BYTES + bodyLength, segment.size - offset);
    const decoded = decodeRecord(await segment.readAt(size, offset), 0);
    if (!decoded.ok) throw new Error(`no valid record at position ${position}: ${decoded.reason}`);
    return decoded.record.payload;
  }

  async enforceRetention(limits: { maxAgeMs: number; maxBytes: number }, nowMs = Date.now()): Promise<number> {
    this.assertReady('enforceRetention');
    // Only the oldest segments go, so the retained positions stay one contiguous range.
    while (this.segments.length > 1) {
      const [oldest, next] = this.segments;
      const expired = oldest.newestTimestampMs < nowMs - limits.maxAgeMs;
      const oversized = this.totalBytes > limits.maxBytes;
      if (!(expired || oversized) || !this.isDeletable(oldest, next)) break;
      this.segments.shift();
      this.totalBytes -= oldest.size;
      await oldest.delete();
    }
    return this.firstPosition;
  }

  flush(): Promise<void> {
    return this.lastBatch?.durable ?? Promise.resolve();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.draining;
      await Promise.all(this.segments.map((segment) => segment.close()));
    }
  }

  private assertReady(operation: string): void {
    if (this.closing) throw new Error(`${operation}() on a closed CommitLog`);
    if (this.state !== 'ready') throw new Error(`${operation}() before replay() completed`);
  }

  private segmentForAppend(): Segment {
    const active = this.active;
    if (active.size < this.options.segmentBytes) return active;
    const next = new Segment(this.dir, active.end, 0, false);
    this.segments.push(next);
    return next;
  }

  private segmentContaining(position: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.segments[middle].base <= position) low = middle;
      else high = middle - 1;
    }
    return this.segments[low];
  }

  /**
   * No writes to it may be outstanding, and the next file must exist: otherwise a restart could find no
   * segment files at all and restart positions at 0.
   */
  private isDeletable(oldest: Segment, next: Segment): boolean {
    return oldest.end <= this.persistedEnd && next.fileExists;
  }

  private startBatch(): WriteBatch {
    this.lastBatch = new WriteBatch();
    return this.lastBatch;
  }

  private async drain(): Promise<void> {
    // Yield once so that the rest of the current synchronous burst of appends joins the first batch.
    await Promise.resolve();
    for (let batch = this.pending; batch; batch = this.pending) {
      this.pending = undefined;
      await this.commit(batch);
    }
    this.draining = undefined;
  }

  private async commit(batch: WriteBatch): Promise<void> {
    if (this.failure) return batch.settle(this.failure);
    try {
      for (const chunk of batch.chunks) await this.writeChunk(chunk);
      this.persistedEnd = batch.endPosition;
      batch.settle();
    } catch (error) {
      // Fail-stop: after a failed write or fdatasync the file's contents are unknown (the kernel may have
      // dropped the dirty pages), so no later append may be reported durable.
      this.failure = error instanceof Error ? error : new Error(String(error));
      batch.settle(this.failure);
    }
  }

  private async writeChunk({ segment, fileOffset, records }: WriteChunk): Promise<void> {
    const data = records.length === 1 ? records[0] : Buffer.concat(records);
    await segment.writeAt(data, fileOffset);
    this.counters.writes++;
    if (this.options.fsync) {
      await segment.datasync();
      this.counters.syncs++;
      if (!segment.fileExists) await syncDirectory(this.dir);
    }
    segment.fileExists = true;
  }
}
