import { join } from 'node:path';
import type { Logger } from 'pino';
import { type StoredMessage, storedMessage } from '../messaging/message';
import type { DamageLog } from '../storage/damage-log';
import type { FileSystem } from '../storage/file-system';
import { decodeRecord, RECORD_OVERHEAD_BYTES } from '../storage/record-codec';
import type { Segment } from '../storage/segment';
import { DamagedRecordError, SegmentedLog } from '../storage/segmented-log';
import { bloom32, bloomBits, hash32, optionalHash32 } from '../util/hash';
import { LogRecord, type DiscardedRecord, type MessageMeta, type StagedMeta, decodeJson, decodeMessageRecord, decodeStagedRecord, encodeJson, encodeMessageRecord, encodeStagedRecord } from './log-records';
import { ByteBoundedCache } from '../util/byte-bounded-cache';
import { SpanCache } from './span-cache';
import type { QueueRun } from './queue-runs';
import { blankEntry, decodeEntry, type IndexEntry, indexFileName, type LoadedIndex, readIndexEntries, readSealedIndex, readSealedRuns, type SealedRuns, SegmentIndexWriter } from './segment-index';

export interface MessageLogOptions {
  segmentBytes: number;
  fsync: boolean;
  /** Budget of the in-memory cache of the newest message bodies. */
  cacheBytes: number;
}

/** A record's place in the log. */
export interface LogLocation {
  position: number;
  size: number;
}

/** What recovery finds, in log order. Staged-message events come only from positions at or after the checkpoint. */
export interface LogVisitor {
  /** A message's index entry; the object may be reused for the next call: copy it to keep it. */
  entry(entry: IndexEntry): void;
  /** Messages of one queue at consecutive offsets, from a sealed index; the columns are only valid during the call. */
  run(run: QueueRun): void;
  staged(meta: StagedMeta, location: LogLocation): void;
  /** A staged message left staging: released into its queue, or discarded. */
  unstaged(messageId: string): void;
}

export interface LogRecovery {
  segments: number;
  /** Segments whose index was missing, unsealed or damaged, and which were scanned instead. */
  scannedSegments: number;
  truncatedBytes: number;
}

interface DamagedBytes {
  position: number;
  bytes: Buffer;
  reason: string;
}

/** Consecutive missing records closer than this are read with one call. */
const READ_GAP_BYTES = 64 * 1024;
const MAX_SPAN_BYTES = 4 * 1024 * 1024;

/**
 * The message log: message bodies (and staged half/delay messages) in CRC-framed records, one index
 * file per segment listing its messages so recovery loads indexes instead of reading the log, and a
 * byte-bounded cache of the newest messages. Bodies are read back from disk when delivered.
 */
export class MessageLog {
  /** The newest messages by position: consumers that keep up are served from memory. */
  private readonly cache: ByteBoundedCache<number, StoredMessage>;
  /** Raw spans kept for the next receives: a quarter of the cache budget on top of it. */
  private readonly spans: SpanCache;
  private writer: SegmentIndexWriter | undefined;
  private writerSegment: Segment | undefined;
  private indexFlushScheduled = false;
  private readonly reportedDamage = new Set<number>();
  /** Seals of rolled segments' indexes under way, by segment base. */
  private readonly sealing = new Map<number, Promise<void>>();
  /** Index rebuilds under way, by segment base: concurrent lookups share one. */
  private readonly rebuilding = new Map<number, Promise<IndexEntry[]>>();

  private constructor(
    private readonly fileSystem: FileSystem,
    private readonly log: SegmentedLog,
    private readonly damage: DamageLog,
    private readonly logger: Logger,
    options: MessageLogOptions,
    /** Called after the log rolled to a new segment (the previous one is sealed). */
    private readonly onRoll: () => void,
  ) {
    this.cache = new ByteBoundedCache(options.cacheBytes, (message) => message.body.length);
    this.spans = new SpanCache(options.cacheBytes / 4);
  }

  static async open(fileSystem: FileSystem, dir: string, options: MessageLogOptions, damage: DamageLog, logger: Logger, onRoll: () => void): Promise<MessageLog> {
    const log = await SegmentedLog.open(fileSystem, dir, options, damage);
    return new MessageLog(fileSystem, log, damage, logger, options, onRoll);
  }

  get segments(): readonly Segment[] {
    return this.log.segments;
  }

  get endPosition(): number {
    return this.log.endPosition;
  }

  get firstPosition(): number {
    return this.log.firstPosition;
  }

  get sizeBytes(): number {
    return this.log.sizeBytes;
  }

  get stats() {
    return { ...this.log.stats, cache: { messages: this.cache.size, bytes: this.cache.sizeBytes, hits: this.cache.hits, misses: this.cache.misses } };
  }

  /**
   * Loads every segment's sealed index (or scans a segment that has none), and replays staged-message
   * events from `from` on. Cuts a torn tail off the active segment; then appends may start.
   */
  async recover(from: number, visit: LogVisitor): Promise<LogRecovery> {
    const report: LogRecovery = { segments: 0, scannedSegments: 0, truncatedBytes: 0 };
    let activeValidEnd = this.log.active.size;
    let activeDurableEnd = 0;
    const segments = this.log.segments.filter((segment) => segment.fileExists);
    // The next index is read while this one is applied.
    let next = segments.length > 0 ? this.readSealed(segments[0]) : undefined;
    for (const [i, segment] of segments.entries()) {
      report.segments++;
      const isActive = segment === this.log.active;
      const indexPath = this.indexPath(segment.base);
      const sealed = await next;
      next = i + 1 < segments.length ? this.readSealed(segments[i + 1]) : undefined;
      if (sealed && sealed.coveredBytes === segment.size) {
        if ('runs' in sealed) for (const run of sealed.runs) visit.run(run);
        else {
          const reused = blankEntry();
          for (let i = 0; i < sealed.count; i++) visit.entry(decodeEntry(sealed, i, reused));
          if (isActive) this.useWriter(segment, SegmentIndexWriter.resume(this.fileSystem, indexPath, sealed));
        }
        segment.newestTimestampMs = sealed.newestTimestampMs;
        if (segment.end > from) await this.scanLifecycle(segment, from, visit);
        continue;
      }
      report.scannedSegments++;
      if (isActive) activeDurableEnd = await this.indexedEnd(segment, indexPath);
      const writer = SegmentIndexWriter.create(this.fileSystem, indexPath, segment.base);
      const result = await this.log.scanSegment(segment, 0, (type, payload, offset) => {
        const location = { position: segment.base + offset, size: payload.length + RECORD_OVERHEAD_BYTES };
        const message = decodeMessageRecord(type, payload);
        if (message) {
          const { meta } = message;
          const entry = indexEntryOf(meta, location);
          visit.entry(entry);
          writer.add(entry);
          if (location.position >= from && meta.releases !== undefined) visit.unstaged(meta.releases);
        } else if (location.position >= from) lifecycle(type, payload, location, visit);
      });
      if (isActive) {
        activeValidEnd = result.tail ? result.tail.offset : segment.size;
        this.useWriter(segment, writer);
        continue;
      }
      if (result.tail) {
        const { offset, length, reason } = result.tail;
        await this.damage.report('corrupt', segment.path, offset, length, reason, await segment.readAt(length, offset));
      }
      await writer.seal(segment.size, segment.newestTimestampMs);
      await writer.close();
    }
    report.truncatedBytes = await this.log.cutTail(activeValidEnd, activeDurableEnd);
    this.log.markReady();
    if (!this.writer) this.useWriter(this.log.active, SegmentIndexWriter.create(this.fileSystem, this.indexPath(this.log.active.base), this.log.active.base));
    return report;
  }

  /** Appends a message record and its index entry; the message is cached for its first deliveries. */
  appendMessage(meta: MessageMeta, body: Buffer): { message: StoredMessage; entry: IndexEntry; durable: Promise<void> } {
    const record = encodeMessageRecord(meta, body);
    const { position, segment, durable } = this.log.appendRecord(record, meta.storedAt);
    const entry = indexEntryOf(meta, { position, size: record.length });
    this.indexed(segment, durable).add(entry);
    const message = storedMessage(meta, body, meta, position);
    this.cache.put(position, message);
    return { message, entry, durable };
  }

  appendStaged(meta: StagedMeta, body: Buffer): { location: LogLocation; durable: Promise<void> } {
    const record = encodeStagedRecord(meta, body);
    const { position, segment, durable } = this.log.appendRecord(record, meta.storedAt);
    this.indexed(segment, durable);
    return { location: { position, size: record.length }, durable };
  }

  appendDiscarded(record: DiscardedRecord, now: number): Promise<void> {
    const { segment, durable } = this.log.append(LogRecord.Discarded, encodeJson(record), now);
    this.indexed(segment, durable);
    return durable;
  }

  /**
   * The messages at these places, in order; undefined where a record is damaged (reported once) or
   * gone. Neighbouring records that are not cached are read with one call.
   */
  async readMessages(locations: readonly LogLocation[]): Promise<(StoredMessage | undefined)[]> {
    const found: (StoredMessage | undefined)[] = locations.map((location) => (location.position < 0 ? undefined : this.cache.get(location.position)));
    const missing: (LogLocation & { i: number })[] = [];
    const damaged: DamagedBytes[] = [];
    for (const [i, location] of locations.entries()) {
      if (found[i] || location.position < 0) continue;
      const bytes = this.spans.get(location.position, location.size);
      if (bytes) found[i] = this.messageAt(location.position, bytes, damaged);
      else missing.push({ ...location, i });
    }
    missing.sort((a, b) => a.position - b.position);
    for (let start = 0; start < missing.length; ) {
      let end = start + 1;
      const segment = this.log.segmentContaining(missing[start].position);
      while (
        end < missing.length &&
        missing[end].position - (missing[end - 1].position + missing[end - 1].size) < READ_GAP_BYTES &&
        missing[end].position + missing[end].size - missing[start].position <= MAX_SPAN_BYTES &&
        missing[end].position + missing[end].size <= segment.end
      ) end++;
      const group = missing.slice(start, end);
      start = end;
      const spanStart = group[0].position;
      const span = await this.readSpan(spanStart, group[group.length - 1].position + group[group.length - 1].size - spanStart);
      if (!span) continue;
      this.spans.put(spanStart, span);
      for (const { position, size, i } of group) {
        if (position + size - spanStart <= span.length) found[i] = this.messageAt(position, span.subarray(position - spanStart, position - spanStart + size), damaged);
      }
    }
    for (const { position, bytes, reason } of damaged) await this.reportDamaged(this.log.segmentContaining(position), position, bytes, reason);
    return found;
  }

  /**
   * The message in a record's bytes, decoded synchronously (no promise per message); undefined, and
   * added to `damaged` for the caller to report, when the bytes are damaged or not a message.
   */
  private messageAt(position: number, bytes: Buffer, damaged: DamagedBytes[]): StoredMessage | undefined {
    const record = decodeRecord(bytes, 0);
    let reason = record.ok ? 'not a message record' : record.reason;
    if (record.ok) {
      try {
        const message = decodeMessageRecord(record.record.type, record.record.payload);
        if (message) return storedMessage(message.meta, message.body, message.meta, position);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        reason = `unreadable message header: ${error.message}`;
      }
    }
    damaged.push({ position, bytes, reason });
    return undefined;
  }

  /** A staged message's fields and body; undefined when its record is damaged (reported). */
  async readStaged(location: LogLocation, messageId: string): Promise<{ meta: StagedMeta; body: Buffer } | undefined> {
    try {
      const record = await this.log.read(location.position, location.size);
      const staged = decodeStagedRecord(record.type, record.payload);
      if (staged?.meta.messageId === messageId) return staged;
      await this.reportDamaged(this.log.segmentContaining(location.position), location.position, Buffer.alloc(0), `not the staged record of ${messageId}`);
    } catch (error) {
      if (!(error instanceof DamagedRecordError)) throw error;
      await this.reportDamaged(error.segment, location.position, error.bytes, error.reason);
    }
    return undefined;
  }

  /** Messages with this id (the original and its dead-letter copies), newest segment first. */
  async findById(messageId: string): Promise<StoredMessage[]> {
    const idHash = hash32(messageId);
    const found = await this.searchIndexes((entry) => entry.idHash === idHash);
    return found.filter((message) => message.messageId === messageId);
  }

  /** Messages of a topic incarnation carrying `key`, up to `limit`. */
  async findByKey(topicId: number, key: string, limit: number): Promise<StoredMessage[]> {
    const bits = bloomBits(key);
    const found = await this.searchIndexes((entry) => entry.topicId === topicId && ((entry.keysBloom & bits) >>> 0) === bits, limit);
    return found.filter((message) => message.keys.includes(key)).slice(0, limit);
  }

  /** Deletes whole segments (and their index files) that end at or before `position`. */
  async deleteSegmentsBelow(position: number): Promise<Segment[]> {
    const deleted = await this.log.deleteSegmentsBelow(position);
    for (const segment of deleted) await this.fileSystem.remove(this.indexPath(segment.base));
    const first = this.log.firstPosition;
    this.cache.evictWhile((position) => position < first);
    this.spans.dropBelow(first);
    return deleted;
  }

  /** Waits until everything appended so far is durable. */
  flush(): Promise<void> {
    return this.log.flush();
  }

  /** Flushes, and seals the active segment's index so the next start loads it instead of scanning. */
  async close(): Promise<void> {
    try {
      await this.log.flush();
      const active = this.log.active;
      if (this.writer && this.writerSegment === active) await this.writer.seal(active.size, active.newestTimestampMs);
    } catch (error) {
      this.logger.warn({ err: error }, 'message log not sealed at close: the next start scans the active segment');
    } finally {
      await this.writer?.close();
      await this.log.close();
    }
  }

  private indexPath(base: number): string {
    return join(this.log.dir, indexFileName(base));
  }

  /**
   * A sealed segment's runs, or its entries when it has none. The active segment's entries are always
   * read: appends continue its index.
   */
  private async readSealed(segment: Segment): Promise<SealedRuns | LoadedIndex | undefined> {
    const path = this.indexPath(segment.base);
    const runs = segment === this.log.active ? undefined : await readSealedRuns(this.fileSystem, path, segment.base);
    return runs ?? readSealedIndex(this.fileSystem, path, segment.base);
  }

  /** The index writer for a record just appended to `segment`: a new one when the log rolled. */
  private indexed(segment: Segment, durable: Promise<void>): SegmentIndexWriter {
    if (segment !== this.writerSegment) {
      const previous = this.writer;
      const previousSegment = this.writerSegment;
      this.useWriter(segment, SegmentIndexWriter.create(this.fileSystem, this.indexPath(segment.base), segment.base));
      if (previous && previousSegment) {
        // Records reach disk in order: once this one is durable, the previous segment is complete.
        const sealing = durable
          .then(() => previous.seal(previousSegment.size, previousSegment.newestTimestampMs))
          .then(() => this.onRoll())
          .catch((error: unknown) => this.logger.warn({ err: error, segment: previousSegment.name }, 'segment index not sealed: the next start scans this segment'))
          .finally(() => {
            void previous.close();
            this.sealing.delete(previousSegment.base);
          });
        this.sealing.set(previousSegment.base, sealing);
      }
    }
    const writer = this.writer as SegmentIndexWriter;
    if (!this.indexFlushScheduled) {
      this.indexFlushScheduled = true;
      durable
        .then(() => {
          this.indexFlushScheduled = false;
          return writer.flush();
        })
        .catch(() => {
          this.indexFlushScheduled = false;
        });
    }
    return writer;
  }

  private useWriter(segment: Segment, writer: SegmentIndexWriter): void {
    this.writer = writer;
    this.writerSegment = segment;
  }

  /**
   * How far an unsealed index vouches for the segment: entries are written only after their records
   * were synced, so the end of the last plausible entry was durable. Damage below it is corruption,
   * not a torn write.
   */
  private async indexedEnd(segment: Segment, indexPath: string): Promise<number> {
    const index = await readIndexEntries(this.fileSystem, indexPath, segment.base);
    let end = 0;
    for (let i = 0; i < (index?.count ?? 0); i++) {
      const entry = decodeEntry(index as NonNullable<typeof index>, i);
      const entryEnd = entry.position - segment.base + entry.size;
      if (entry.position - segment.base < end || entryEnd > segment.size) break;
      end = entryEnd;
    }
    return end;
  }

  private async scanLifecycle(segment: Segment, from: number, visit: LogVisitor): Promise<void> {
    await this.log.scanSegment(segment, Math.max(0, from - segment.base), (type, payload, offset) =>
      lifecycle(type, payload, { position: segment.base + offset, size: payload.length + RECORD_OVERHEAD_BYTES }, visit),
    );
  }

  private async readSpan(position: number, length: number): Promise<Buffer | undefined> {
    try {
      return await this.log.readSpan(position, length);
    } catch (error) {
      if (error instanceof RangeError) return undefined; // removed by retention meanwhile
      throw error;
    }
  }

  private async reportDamaged(segment: Segment, position: number, bytes: Buffer, reason: string): Promise<void> {
    if (this.reportedDamage.has(position)) return;
    this.reportedDamage.add(position);
    await this.damage.report('corrupt', segment.path, position - segment.base, bytes.length, reason, bytes);
  }

  /** Index entries matching `test`, newest segment first, read back as messages. */
  private async searchIndexes(test: (entry: IndexEntry) => boolean, limit = Infinity): Promise<StoredMessage[]> {
    const locations: LogLocation[] = [];
    for (const segment of [...this.log.segments].reverse()) {
      if (locations.length >= limit * 4) break;
      const index = await this.entriesOf(segment);
      for (let i = index.length - 1; i >= 0; i--) if (test(index[i])) locations.push(index[i]);
    }
    return (await this.readMessages(locations)).filter((message): message is StoredMessage => message !== undefined);
  }

  private async entriesOf(segment: Segment): Promise<IndexEntry[]> {
    const path = this.indexPath(segment.base);
    if (segment === this.writerSegment) {
      await this.writer?.flush();
      const index = await readIndexEntries(this.fileSystem, path, segment.base);
      return index ? Array.from({ length: index.count }, (_, i) => decodeEntry(index, i)) : [];
    }
    await this.sealing.get(segment.base);
    const sealed = await readSealedIndex(this.fileSystem, path, segment.base);
    if (sealed) return Array.from({ length: sealed.count }, (_, i) => decodeEntry(sealed, i));
    // Recovery needs only a sealed index's runs, so damage to its entries shows here: rebuild them once.
    let rebuilt = this.rebuilding.get(segment.base);
    if (!rebuilt) {
      rebuilt = this.rebuildIndex(segment).finally(() => this.rebuilding.delete(segment.base));
      this.rebuilding.set(segment.base, rebuilt);
    }
    return rebuilt;
  }

  private async rebuildIndex(segment: Segment): Promise<IndexEntry[]> {
    this.logger.warn({ segment: segment.name }, 'segment index damaged or unsealed: rebuilt from its segment');
    const entries: IndexEntry[] = [];
    const writer = SegmentIndexWriter.create(this.fileSystem, this.indexPath(segment.base), segment.base);
    try {
      await this.log.scanSegment(segment, 0, (type, payload, offset) => {
        const message = decodeMessageRecord(type, payload);
        if (!message) return;
        const entry = indexEntryOf(message.meta, { position: segment.base + offset, size: payload.length + RECORD_OVERHEAD_BYTES });
        entries.push(entry);
        writer.add(entry);
      });
      await writer.seal(segment.size, segment.newestTimestampMs);
    } finally {
      await writer.close();
    }
    return entries;
  }
}

function lifecycle(type: number, payload: Buffer, location: LogLocation, visit: LogVisitor): void {
  if (type === LogRecord.Discarded) return visit.unstaged(decodeJson<DiscardedRecord>(payload).messageId);
  const staged = decodeStagedRecord(type, payload);
  if (staged) return visit.staged(staged.meta, location);
  const releases = decodeMessageRecord(type, payload)?.meta.releases;
  if (releases !== undefined) visit.unstaged(releases);
}

function indexEntryOf(meta: MessageMeta, location: LogLocation): IndexEntry {
  return {
    topicId: meta.topicId,
    queueId: meta.queueId,
    offset: meta.offset,
    position: location.position,
    size: location.size,
    tagHash: optionalHash32(meta.tag),
    groupHash: optionalHash32(meta.messageGroup),
    idHash: hash32(meta.messageId),
    keysBloom: bloom32(meta.keys),
  };
}
