import { crc32 } from 'node:zlib';

/**
 * On-disk record, little-endian:
 *   [magic "RMQ5"][u32 body length][u32 crc32 of length and body][body = u8 type | f64 timestampMs | payload]
 * The magic lets a scan find the next record after damaged bytes (resynchronise) instead of giving up
 * on everything behind them; the CRC decides whether a candidate is a real record.
 */
const MAGIC = Buffer.from('RMQ5', 'latin1');
const MAGIC_U32 = MAGIC.readUInt32LE(0);
export const RECORD_HEADER_BYTES = 12;
const BODY_HEADER_BYTES = 9;
export const RECORD_OVERHEAD_BYTES = RECORD_HEADER_BYTES + BODY_HEADER_BYTES;
/** Far above the 4 MiB body limit; a larger length field is damage, not a record. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface DecodedRecord {
  type: number;
  timestampMs: number;
  payload: Buffer;
  /** Bytes the record occupies on disk, header included. */
  size: number;
}

export type DecodeResult = { ok: true; record: DecodedRecord } | { ok: false; reason: string };

function checksum(data: Buffer, start: number, end: number): number {
  return crc32(data.subarray(start + 12, end), crc32(data.subarray(start + 4, start + 8)));
}

export function encodeRecord(type: number, timestampMs: number, payload: Buffer): Buffer {
  const record = allocateRecord(type, timestampMs, payload.length);
  payload.copy(record, RECORD_OVERHEAD_BYTES);
  return sealRecord(record);
}

/**
 * A record with its header written and room for `payloadLength` bytes at RECORD_OVERHEAD_BYTES:
 * callers that build a payload from parts write them in place (no copy of a message body through
 * an intermediate buffer), then `sealRecord`.
 */
export function allocateRecord(type: number, timestampMs: number, payloadLength: number): Buffer {
  const bodyLength = BODY_HEADER_BYTES + payloadLength;
  if (bodyLength > MAX_BODY_BYTES) throw new RangeError(`payload of ${payloadLength} bytes does not fit a record`);
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + bodyLength);
  record.writeUInt32LE(MAGIC_U32, 0);
  record.writeUInt32LE(bodyLength, 4);
  record.writeUInt8(type, 12);
  record.writeDoubleLE(timestampMs, 13);
  return record;
}

/** Writes the checksum of a record filled in after `allocateRecord`. */
export function sealRecord(record: Buffer): Buffer {
  record.writeUInt32LE(checksum(record, 0, record.length), 8);
  return record;
}

/** Decodes the record starting at `offset`; the payload is a view into `data`. */
export function decodeRecord(data: Buffer, offset: number): DecodeResult {
  const available = data.length - offset;
  if (available < RECORD_HEADER_BYTES) return { ok: false, reason: `torn header: ${available} bytes` };
  if (data.readUInt32LE(offset) !== MAGIC_U32) return { ok: false, reason: 'no record magic' };
  const bodyLength = data.readUInt32LE(offset + 4);
  if (bodyLength < BODY_HEADER_BYTES || bodyLength > MAX_BODY_BYTES) return { ok: false, reason: `invalid body length ${bodyLength}` };
  const size = RECORD_HEADER_BYTES + bodyLength;
  if (size > available) return { ok: false, reason: `torn record: needs ${size} bytes, ${available} present` };
  if (checksum(data, offset, offset + size) !== data.readUInt32LE(offset + 8)) return { ok: false, reason: 'crc mismatch' };
  return {
    ok: true,
    record: { type: data.readUInt8(offset + 12), timestampMs: data.readDoubleLE(offset + 13), payload: data.subarray(offset + RECORD_OVERHEAD_BYTES, offset + size), size },
  };
}

/** The length a record claims in its header, to read it whole; undefined when the header is not one. */
export function claimedRecordSize(header: Buffer): number | undefined {
  if (header.length < RECORD_HEADER_BYTES || header.readUInt32LE(0) !== MAGIC_U32) return undefined;
  const bodyLength = header.readUInt32LE(4);
  return bodyLength >= BODY_HEADER_BYTES && bodyLength <= MAX_BODY_BYTES ? RECORD_HEADER_BYTES + bodyLength : undefined;
}

/** Bytes that hold no valid record: `offset` and `length` within the scanned data. */
export interface DamagedRange {
  offset: number;
  length: number;
  reason: string;
}

export interface ScanResult {
  records: number;
  /** Offset just past the last valid record. */
  validEnd: number;
  newestTimestampMs: number;
  /** Damaged stretches followed by valid records: only the records in them are lost. */
  damaged: DamagedRange[];
  /** Bytes after the last valid record that hold no record: an unfinished write, or damage at the very end. */
  tail?: DamagedRange;
}

export type RecordVisitor = (type: number, payload: Buffer, offset: number, timestampMs: number) => void;

/** The next offset at or after `from` where a valid record starts, or -1. */
function nextValidRecord(data: Buffer, from: number): number {
  for (let candidate = data.indexOf(MAGIC, from); candidate >= 0; candidate = data.indexOf(MAGIC, candidate + 1)) {
    if (decodeRecord(data, candidate).ok) return candidate;
  }
  return -1;
}

/**
 * Visits every valid record of `data` from `start`. Damage does not end the scan: it skips to the
 * next valid record, so a flipped bit costs only the records it touches.
 */
export function scanRecords(data: Buffer, start: number, visit: RecordVisitor): ScanResult {
  const result: ScanResult = { records: 0, validEnd: start, newestTimestampMs: -Infinity, damaged: [] };
  let offset = start;
  while (offset < data.length) {
    const decoded = decodeRecord(data, offset);
    if (decoded.ok) {
      const { type, payload, timestampMs, size } = decoded.record;
      visit(type, payload, offset, timestampMs);
      result.records++;
      offset += size;
      result.validEnd = offset;
      if (timestampMs > result.newestTimestampMs) result.newestTimestampMs = timestampMs;
      continue;
    }
    const next = nextValidRecord(data, offset + 1);
    if (next < 0) {
      result.tail = { offset, length: data.length - offset, reason: decoded.reason };
      break;
    }
    result.damaged.push({ offset, length: next - offset, reason: decoded.reason });
    offset = next;
  }
  return result;
}
