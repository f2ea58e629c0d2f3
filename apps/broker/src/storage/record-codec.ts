import { crc32 } from 'node:zlib';

/**
 * On-disk record, little-endian:
 *   [u32 body length][u32 crc32 of body][body = u8 type | f64 timestampMs | payload]
 */
export const RECORD_PREFIX_BYTES = 8;
const BODY_HEADER_BYTES = 9;
const MAX_BODY_BYTES = 0xffff_ffff;

export interface DecodedRecord {
  type: number;
  timestampMs: number;
  payload: Buffer;
  /** Bytes the record occupies on disk, prefix included. */
  size: number;
}

export type DecodeResult = { ok: true; record: DecodedRecord } | { ok: false; reason: string };

export function encodeRecord(type: number, timestampMs: number, payload: Buffer): Buffer {
  const bodyLength = BODY_HEADER_BYTES + payload.length;
  if (bodyLength > MAX_BODY_BYTES) throw new RangeError(`payload of ${payload.length} bytes does not fit a record`);
  const record = Buffer.allocUnsafe(RECORD_PREFIX_BYTES + bodyLength);
  record.writeUInt32LE(bodyLength, 0);
  record.writeUInt8(type, 8);
  record.writeDoubleLE(timestampMs, 9);
  payload.copy(record, RECORD_PREFIX_BYTES + BODY_HEADER_BYTES);
  record.writeUInt32LE(crc32(record.subarray(RECORD_PREFIX_BYTES)), 4);
  return record;
}

/** Decodes the record starting at `offset`; the payload is a view into `data`. */
export function decodeRecord(data: Buffer, offset: number): DecodeResult {
  const available = data.length - offset;
  if (available < RECORD_PREFIX_BYTES) return { ok: false, reason: `torn prefix: ${available} bytes` };
  const bodyLength = data.readUInt32LE(offset);
  if (bodyLength < BODY_HEADER_BYTES) return { ok: false, reason: `invalid body length ${bodyLength}` };
  const size = RECORD_PREFIX_BYTES + bodyLength;
  if (size > available) return { ok: false, reason: `torn record: needs ${size} bytes, ${available} present` };
  const body = data.subarray(offset + RECORD_PREFIX_BYTES, offset + size);
  if (crc32(body) !== data.readUInt32LE(offset + 4)) return { ok: false, reason: 'crc mismatch' };
  return {
    ok: true,
    record: { type: body.readUInt8(0), timestampMs: body.readDoubleLE(1), payload: body.subarray(BODY_HEADER_BYTES), size },
  };
}

export interface ScanResult {
  records: number;
  /** Length of the valid prefix of the data. */
  validBytes: number;
  newestTimestampMs: number;
  /** Why scanning stopped before the end of the data, if it did. */
  problem?: string;
}

export type RecordVisitor = (type: number, payload: Buffer, position: number, timestampMs: number) => void;

/** Visits the records of one segment's contents until the end or the first invalid record. */
export function scanRecords(data: Buffer, basePosition: number, visit: RecordVisitor): ScanResult {
  const result: ScanResult = { records: 0, validBytes: 0, newestTimestampMs: -Infinity };
  while (result.validBytes < data.length) {
    const decoded = decodeRecord(data, result.validBytes);
    if (!decoded.ok) return { ...result, problem: decoded.reason };
    const { type, payload, timestampMs, size } = decoded.record;
    // Copy so that a retained payload does not pin the whole segment buffer in memory.
    visit(type, Buffer.from(payload), basePosition + result.validBytes, timestampMs);
    result.records++;
    result.validBytes += size;
    result.newestTimestampMs = Math.max(result.newestTimestampMs, timestampMs);
  }
  return result;
}
