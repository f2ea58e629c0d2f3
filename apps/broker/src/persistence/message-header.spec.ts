import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, type HeaderFields } from './message-header';

const minimal: HeaderFields = {
  topic: 'orders',
  messageId: '01ABC',
  type: 'NORMAL',
  keys: [],
  properties: {},
  bornAt: 1_764_500_000_123,
  bornHost: '10.0.0.7',
  gzip: false,
  digest: '0123456789ABCDEF0123456789ABCDEF',
  storedAt: 1_764_500_000_456,
};

const full: HeaderFields = {
  ...minimal,
  type: 'FIFO',
  tag: 'TagA',
  keys: ['order-1', 'kunde-ü', '订单'],
  messageGroup: 'customer-42',
  deliverAt: 1_764_500_060_000,
  properties: { traceparent: '00-abc-def-01', 'x-empty': '', 'ключ': 'значение 🚀' },
  traceContext: 'ctx',
  gzip: true,
  deadLetterOf: { topic: 'orders', messageId: '01XYZ', queueId: 3, offset: 2 ** 40 + 7 },
  transactionId: 'tx-1',
  topicId: 9,
  queueId: 2,
  offset: 123_456_789_012,
  releases: 'S-1',
};

/** What JSON headers (before ADR 0015) gave back: the same fields, no undefined ones. */
const withoutUndefined = (fields: object) => JSON.parse(JSON.stringify(fields)) as unknown;

describe('message header', () => {
  it('round-trips every field, optional ones included, with multi-byte strings', () => {
    expect(withoutUndefined(decodeHeader(Buffer.from(encodeHeader(full))))).toEqual(withoutUndefined(full));
  });

  it('round-trips a staged message (no queue place) with only the required fields', () => {
    const decoded = decodeHeader(Buffer.from(encodeHeader(minimal)));
    expect(withoutUndefined(decoded)).toEqual(withoutUndefined(minimal));
    expect(decoded.topicId).toBeUndefined();
    expect(decoded.deliverAt).toBeUndefined();
  });

  it('grows its buffer for a header larger than the one it started with', () => {
    const large = { ...minimal, properties: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`key-${i}`, 'v'.repeat(200)])) };
    const decoded = decodeHeader(Buffer.from(encodeHeader(large)));
    expect(decoded.properties).toEqual(large.properties);
  });

  it('rejects bytes that are not a header instead of allocating what a damaged count claims', () => {
    const bytes = Buffer.from(encodeHeader(minimal));
    expect(() => decodeHeader(bytes.subarray(0, bytes.length - 6))).toThrow(RangeError);
    const hugeKeyCount = Buffer.from(bytes);
    hugeKeyCount.writeUInt32LE(0xfffffff0, bytes.length - 8);
    expect(() => decodeHeader(hugeKeyCount)).toThrow(/count .* past the end/);
    const badType = Buffer.from(bytes);
    badType[2] = 9;
    expect(() => decodeHeader(badType)).toThrow(/unknown message type 9/);
  });
});
