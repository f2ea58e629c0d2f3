import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, RECORD_OVERHEAD_BYTES, scanRecords } from './record-codec';

const payloads = ['alpha', 'beta', 'gamma', 'delta'].map((text) => Buffer.from(text));

function log(): { data: Buffer; offsets: number[] } {
  const records = payloads.map((payload, i) => encodeRecord(i + 1, 1000 + i, payload));
  const offsets = records.map((_, i) => records.slice(0, i).reduce((sum, record) => sum + record.length, 0));
  return { data: Buffer.concat(records), offsets };
}

function scan(data: Buffer) {
  const seen: string[] = [];
  const result = scanRecords(data, 0, (_type, payload) => seen.push(payload.toString()));
  return { seen, result };
}

describe('record codec', () => {
  it('round-trips type, time and payload; the overhead is fixed', () => {
    const record = encodeRecord(7, 1234.5, Buffer.from('payload'));
    expect(record.length).toBe(RECORD_OVERHEAD_BYTES + 7);
    const decoded = decodeRecord(record, 0);
    expect(decoded.ok && { type: decoded.record.type, time: decoded.record.timestampMs, payload: decoded.record.payload.toString(), size: decoded.record.size }).toEqual({
      type: 7,
      time: 1234.5,
      payload: 'payload',
      size: record.length,
    });
  });

  it('rejects a flipped bit anywhere in a record, the length field included', () => {
    const record = encodeRecord(1, 0, Buffer.from('some payload'));
    for (let byte = 0; byte < record.length; byte++) {
      const damaged = Buffer.from(record);
      damaged[byte] ^= 0x10;
      expect(decodeRecord(damaged, 0).ok, `bit flipped in byte ${byte}`).toBe(false);
    }
  });

  it('scans past a damaged record to the next valid one: only the damaged record is lost', () => {
    const { data, offsets } = log();
    data[offsets[1] + RECORD_OVERHEAD_BYTES + 1] ^= 0xff;
    const { seen, result } = scan(data);
    expect(seen).toEqual(['alpha', 'gamma', 'delta']);
    expect(result.damaged).toEqual([{ offset: offsets[1], length: offsets[2] - offsets[1], reason: 'crc mismatch' }]);
    expect(result.tail).toBeUndefined();
    expect(result.validEnd).toBe(data.length);
  });

  it('resynchronises after a damaged length field too', () => {
    const { data, offsets } = log();
    data.writeUInt32LE(0x7fff_ffff, offsets[2] + 4);
    const { seen, result } = scan(data);
    expect(seen).toEqual(['alpha', 'beta', 'delta']);
    expect(result.damaged.map(({ offset, length }) => [offset, length])).toEqual([[offsets[2], offsets[3] - offsets[2]]]);
  });

  it('reports bytes after the last valid record as the tail (a torn write), not as damage', () => {
    const { data, offsets } = log();
    const torn = data.subarray(0, data.length - 3);
    const { seen, result } = scan(torn);
    expect(seen).toEqual(['alpha', 'beta', 'gamma']);
    expect(result.damaged).toEqual([]);
    expect(result.tail).toMatchObject({ offset: offsets[3], length: torn.length - offsets[3] });
    expect(result.validEnd).toBe(offsets[3]);
  });

  it('does not mistake a magic inside a payload for a record', () => {
    const tricky = encodeRecord(1, 0, Buffer.from('xxRMQ5xx'));
    const data = Buffer.concat([tricky, encodeRecord(2, 0, Buffer.from('next'))]);
    data[3] ^= 0xff; // destroy the first record's magic: the scan must skip to the real second record
    const { seen, result } = scan(data);
    expect(seen).toEqual(['next']);
    expect(result.damaged).toEqual([{ offset: 0, length: tricky.length, reason: 'no record magic' }]);
  });
});
