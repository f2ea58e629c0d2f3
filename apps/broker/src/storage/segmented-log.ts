import type { DamageLog } from './damage-log';
import type { FileSystem } from './file-system';
import { claimedRecordSize, decodeRecord, encodeRecord, RECORD_HEADER_BYTES, type RecordVisitor, type ScanResult, scanRecords, type DecodedRecord } from './record-codec';
import { listSegments, Segment } from './segment';
import { WriteBatch, type WriteChunk } from './write-batch';

export interface SegmentedLogOptions {
  /** Roll to a new segment file once the active one reaches this size. */
  segmentBytes: number;
  /** When true, durable promises resolve only once the written bytes are synced (O_DSYNC writes). */
  fsync: boolean;
}

/**
 * How long a deferred record waits for a commit started by another append before it starts one
 * itself (ADR 0028). Short enough that a crash rarely finds one unwritten, long enough to share a
 * write with the next durable append under load.
 */
export const DEFERRED_COMMIT_MS = 20;

export interface AppendResult {
  position: number;
  /** The segment the record went to: a new one when this append rolled the log. */
  segment: Segment;
  durable: Promise<void>;
}

export interface RecoveryReport {
  segments: number;
  records: number;
  /** Bytes skipped as damaged (records lost) and bytes cut off the tail. */
  damagedBytes: number;
  truncatedBytes: number;
}

/** A record whose bytes fail their checksum when read back. */
export class DamagedRecordError extends Error {
  constructor(
    readonly segment: Segment,
    readonly fileOffset: number,
    readonly bytes: Buffer,
    readonly reason: string,
  ) {
    super(`damaged record in ${segment.path} at offset ${fileOffset}: ${reason}`);
  }
}

type State = 'opened' | 'ready' | 'closed';

/**
 * An append-only log of CRC-framed records in segment files named by their base position.
 * Appends are group-committed: while one synced write is in flight, new records gather into the
 * next batch. A write or sync failure is fail-stop: no later append is reported durable.
 */
export class SegmentedLog {
  private readonly counters = { writes: 0, syncs: 0 };
  private state: State = 'opened';
  private pending: WriteBatch | undefined;
  private lastBatch: WriteBatch | undefined;
  private draining: Promise<void> | undefined;
  /** Started by a deferred append that found nothing committing. */
  private deferredCommit: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  /** Everything below this position has been written (and synced, with fsync). */
  private persistedEnd = 0;
  private totalBytes = 0;

  private constructor(
    private readonly fileSystem: FileSystem,
    readonly dir: string,
    private readonly options: SegmentedLogOptions,
    private readonly damage: DamageLog,
    /** Oldest first; never empty, the last one is the active segment. */
    private readonly list: Segment[],
  ) {}

  static async open(fileSystem: FileSystem, dir: string, options: SegmentedLogOptions, damage: DamageLog): Promise<SegmentedLog> {
    if (!Number.isSafeInteger(options.segmentBytes) || options.segmentBytes <= 0) {
      throw new RangeError(`segmentBytes must be a positive integer, got ${options.segmentBytes}`);
    }
    await fileSystem.mkdir(dir);
    const segments = await listSegments(fileSystem, dir, options.fsync);
    if (segments.length === 0) segments.push(new Segment(fileSystem, dir, 0, 0, false, options.fsync));
    return new SegmentedLog(fileSystem, dir, options, damage, segments);
  }

  get segments(): readonly Segment[] {
    return this.list;
  }

  get firstPosition(): number {
    return this.list[0].base;
  }

  get endPosition(): number {
    return this.active.end;
  }

  /** Everything below is on disk (synced, with fsync): a crash cannot take it back. */
  get durableEnd(): number {
    return this.persistedEnd;
  }

  get sizeBytes(): number {
    return this.totalBytes;
  }

  get stats(): { writes: number; syncs: number } {
    return { ...this.counters };
  }

  get active(): Segment {
    return this.list[this.list.length - 1];
  }

  /**
   * Reads a segment whole and visits its valid records from `fromOffset`. Damaged stretches in the
   * middle are reported (and copied aside) and skipped; the tail is left to `cutTail`.
   */
  async scanSegment(segment: Segment, fromOffset: number, visit: RecordVisitor): Promise<ScanResult> {
    if (!segment.fileExists) return { records: 0, validEnd: 0, newestTimestampMs: -Infinity, damaged: [] };
    const data = await segment.readAll();
    const result = scanRecords(data, Math.min(fromOffset, data.length), visit);
    for (const range of result.damaged) {
      await this.damage.report('corrupt', segment.path, range.offset, range.length, range.reason, data.subarray(range.offset, range.offset + range.length));
    }
    if (result.records > 0) segment.newestTimestampMs = Math.max(segment.newestTimestampMs, result.newestTimestampMs);
    return result;
  }

  /**
   * Copies aside and cuts what follows the last valid record of the active segment: an unfinished
   * write, or — when it starts below `durableEnd`, a point known to have been synced — damage.
   */
  async cutTail(validEnd: number, durableEnd = 0): Promise<number> {
    const segment = this.active;
    if (!segment.fileExists || segment.size <= validEnd) return 0;
    const length = segment.size - validEnd;
    const bytes = await segment.readAt(length, validEnd);
    const kind = validEnd < durableEnd ? 'corrupt' : 'torn-tail';
    await this.damage.report(kind, segment.path, validEnd, length, kind === 'corrupt' ? 'synced records fail their checksum' : 'no valid record after this offset', bytes);
    await segment.truncate(validEnd);
    return length;
  }

  /** Recovery done (the active segment ends with a valid record): appends may start. */
  markReady(): void {
    if (this.state !== 'opened') throw new Error('markReady() must be called once, after recovery');
    this.totalBytes = this.list.reduce((sum, segment) => sum + segment.size, 0);
    this.persistedEnd = this.endPosition;
    this.state = 'ready';
  }

  /** Scans every record at or after `from` (the journal's recovery), cuts a torn tail, and marks the log ready. */
  async recover(from: number, visit: (type: number, payload: Buffer, position: number, timestampMs: number) => void): Promise<RecoveryReport> {
    const report: RecoveryReport = { segments: 0, records: 0, damagedBytes: 0, truncatedBytes: 0 };
    let activeValidEnd = this.active.size;
    for (const segment of this.list) {
      if (segment.end <= from && segment !== this.active) continue;
      report.segments++;
      const result = await this.scanSegment(segment, Math.max(0, from - segment.base), (type, payload, offset, time) => visit(type, payload, segment.base + offset, time));
      report.records += result.records;
      report.damagedBytes += result.damaged.reduce((sum, range) => sum + range.length, 0);
      if (segment === this.active) activeValidEnd = result.tail ? result.tail.offset : segment.size;
      else if (result.tail) {
        // A stretch at the end of an older segment: later segments exist, so it is damage, not a torn write.
        report.damagedBytes += result.tail.length;
        const bytes = await segment.readAt(result.tail.length, result.tail.offset);
        await this.damage.report('corrupt', segment.path, result.tail.offset, result.tail.length, result.tail.reason, bytes);
      }
    }
    report.truncatedBytes = await this.cutTail(activeValidEnd);
    this.markReady();
    return report;
  }

  /**
   * `deferred`: the record need not be durable soon, so it does not start a write of its own; it
   * joins the next commit another append starts, or one after DEFERRED_COMMIT_MS at the latest.
   */
  append(type: number, payload: Buffer, timestampMs: number, deferred = false): AppendResult {
    if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new RangeError(`record type must be a u8, got ${type}`);
    return this.appendRecord(encodeRecord(type, timestampMs, payload), timestampMs, deferred);
  }

  /** Appends a record already encoded (record-codec's allocateRecord + sealRecord). */
  appendRecord(record: Buffer, timestampMs: number, deferred = false): AppendResult {
    this.assertReady('append');
    const segment = this.segmentForAppend();
    const position = segment.end;
    const batch = (this.pending ??= this.startBatch());
    batch.add(segment, segment.size, record);
    segment.size += record.length;
    if (timestampMs > segment.newestTimestampMs) segment.newestTimestampMs = timestampMs;
    this.totalBytes += record.length;
    if (!deferred) batch.urgent = true;
    if (batch.urgent) this.draining ??= this.drain();
    else this.scheduleDeferredCommit();
    return { position, segment, durable: batch.durable };
  }

  /** The record at `position`; `size`, when known, saves reading its header first. */
  async read(position: number, size?: number): Promise<DecodedRecord> {
    const { segment, fileOffset } = await this.locate(position);
    let length = size;
    if (length === undefined) {
      const header = await segment.readAt(Math.min(RECORD_HEADER_BYTES, segment.size - fileOffset), fileOffset);
      length = claimedRecordSize(header);
      if (length === undefined) throw new DamagedRecordError(segment, fileOffset, header, 'no record header');
    }
    const data = await segment.readAt(Math.min(length, segment.size - fileOffset), fileOffset);
    const decoded = decodeRecord(data, 0);
    if (!decoded.ok) throw new DamagedRecordError(segment, fileOffset, data, decoded.reason);
    return decoded.record;
  }

  /** `length` bytes from `position`, all within one segment (for reading neighbouring records at once). */
  async readSpan(position: number, length: number): Promise<Buffer> {
    const { segment, fileOffset } = await this.locate(position);
    return segment.readAt(Math.min(length, segment.size - fileOffset), fileOffset);
  }

  segmentContaining(position: number): Segment {
    let low = 0;
    let high = this.list.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.list[middle].base <= position) low = middle;
      else high = middle - 1;
    }
    return this.list[low];
  }

  /**
   * Deletes the oldest segments that end at or before `position`, never the active one, and only once
   * their writes are durable and the next segment's file exists (a restart must find a segment).
   */
  async deleteSegmentsBelow(position: number): Promise<Segment[]> {
    this.assertReady('deleteSegmentsBelow');
    const deleted: Segment[] = [];
    while (this.list.length > 1) {
      const [oldest, next] = this.list;
      if (oldest.end > position || oldest.end > this.persistedEnd || !next.fileExists) break;
      this.list.shift();
      this.totalBytes -= oldest.size;
      await oldest.delete();
      deleted.push(oldest);
    }
    if (deleted.length > 0 && this.options.fsync) await this.fileSystem.syncDirectory(this.dir);
    return deleted;
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.commitDeferred();
    return this.lastBatch?.durable ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    try {
      if (wasReady) await this.flush();
    } finally {
      await this.draining;
      await Promise.all(this.list.map((segment) => segment.close()));
    }
  }

  private async locate(position: number): Promise<{ segment: Segment; fileOffset: number }> {
    this.assertReady('read');
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.endPosition) {
      throw new RangeError(`no record at position ${position}: the log ends at ${this.endPosition}`);
    }
    if (position < this.firstPosition) throw new RangeError(`position ${position} was removed by retention; the log starts at ${this.firstPosition}`);
    // The record may still be queued in memory.
    if (position >= this.persistedEnd) await this.flush();
    const segment = this.segmentContaining(position);
    return { segment, fileOffset: position - segment.base };
  }

  private assertReady(operation: string): void {
    if (this.state === 'closed') throw new Error(`${operation}() on a closed log (${this.dir})`);
    if (this.state !== 'ready') throw new Error(`${operation}() before recovery completed (${this.dir})`);
  }

  private segmentForAppend(): Segment {
    const active = this.active;
    if (active.size < this.options.segmentBytes) return active;
    const next = new Segment(this.fileSystem, this.dir, active.end, 0, false, this.options.fsync);
    this.list.push(next);
    return next;
  }

  private startBatch(): WriteBatch {
    this.lastBatch = new WriteBatch();
    return this.lastBatch;
  }

  private scheduleDeferredCommit(): void {
    this.deferredCommit ??= setTimeout(() => this.commitDeferred(), DEFERRED_COMMIT_MS).unref();
  }

  /** Deferred records gathered without a commit to join: they start one now. */
  private commitDeferred(): void {
    clearTimeout(this.deferredCommit);
    this.deferredCommit = undefined;
    if (!this.pending) return;
    this.pending.urgent = true;
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    // Yield once so that the rest of the current synchronous burst of appends joins the first batch.
    await Promise.resolve();
    for (let batch = this.pending; batch?.urgent; batch = this.pending) {
      this.pending = undefined;
      await this.commit(batch);
    }
    this.draining = undefined;
    // Only deferred records came in meanwhile: they wait for the next commit or their timer.
    if (this.pending) this.scheduleDeferredCommit();
  }

  private async commit(batch: WriteBatch): Promise<void> {
    if (this.failure) return batch.settle(this.failure);
    try {
      for (const chunk of batch.chunks) await this.writeChunk(chunk);
      this.persistedEnd = batch.endPosition;
      batch.settle();
    } catch (error) {
      // After a failed write or fdatasync the file's contents are unknown (the kernel may have dropped
      // the dirty pages), so no later append may be reported durable.
      this.failure = error instanceof Error ? error : new Error(String(error));
      batch.settle(this.failure);
    }
  }

  /**
   * One writev per chunk. With fsync the segment's file is opened O_DSYNC, so that write is also the
   * sync: a separate fdatasync would cost a second thread-pool round trip (about twice the CPU and
   * latency per commit, measured in ADR 0015).
   */
  private async writeChunk({ segment, fileOffset, records }: WriteChunk): Promise<void> {
    await segment.writeAt(records, fileOffset);
    this.counters.writes++;
    if (this.options.fsync) {
      this.counters.syncs++;
      if (!segment.fileExists) await this.fileSystem.syncDirectory(this.dir);
    }
    segment.fileExists = true;
  }
}
