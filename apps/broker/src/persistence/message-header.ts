import type { MessageFields, MessageType } from '../messaging/message';

/**
 * A message record's header in binary (ADR 0015): the fields in a fixed order, little-endian, strings
 * as [u32 byte length][UTF-8]. JSON.stringify/parse of the same fields cost more broker CPU per
 * message than anything else on the append path. Optional fields are present when their flag is set.
 *
 *   u16 flags | u8 type | f64 bornAt | f64 storedAt
 *   [placed: u32 topicId | u32 queueId | f64 offset]
 *   topic | messageId | bornHost | digest
 *   [tag] [messageGroup] [traceContext] [transactionId] [releases] [f64 deliverAt]
 *   u32 key count, keys | u32 property count, (key, value)…
 *   [deadLetterOf: topic | messageId | u32 queueId | f64 offset]
 */
export type HeaderFields = MessageFields & {
  storedAt: number;
  transactionId?: string;
  /** Present on messages placed in a queue, absent on staged ones. */
  topicId?: number;
  queueId?: number;
  offset?: number;
  releases?: string;
};

const enum Flag {
  Placed = 1 << 0,
  Tag = 1 << 1,
  MessageGroup = 1 << 2,
  TraceContext = 1 << 3,
  TransactionId = 1 << 4,
  Releases = 1 << 5,
  DeliverAt = 1 << 6,
  Gzip = 1 << 7,
  DeadLetterOf = 1 << 8,
}

const TYPES: readonly MessageType[] = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'];

/** Reused by every encode (the broker appends on one thread); grown when a header needs more. */
let scratch = Buffer.allocUnsafe(4096);

class Writer {
  at = 0;

  constructor(private buffer: Buffer) {}

  u8(value: number): void {
    this.at = this.buffer.writeUInt8(value, this.at);
  }

  u16(value: number): void {
    this.at = this.buffer.writeUInt16LE(value, this.at);
  }

  u32(value: number): void {
    this.at = this.buffer.writeUInt32LE(value, this.at);
  }

  f64(value: number): void {
    this.at = this.buffer.writeDoubleLE(value, this.at);
  }

  string(value: string): void {
    const length = this.buffer.write(value, this.at + 4, 'utf8');
    this.buffer.writeUInt32LE(length, this.at);
    this.at += 4 + length;
  }
}

/** Bytes the header may take at most: UTF-8 needs up to 3 bytes per UTF-16 code unit. */
function boundOf(fields: HeaderFields): number {
  let chars = fields.topic.length + fields.messageId.length + fields.bornHost.length + fields.digest.length;
  chars += (fields.tag?.length ?? 0) + (fields.messageGroup?.length ?? 0) + (fields.traceContext?.length ?? 0);
  chars += (fields.transactionId?.length ?? 0) + (fields.releases?.length ?? 0);
  for (const key of fields.keys) chars += key.length;
  let strings = 8 + fields.keys.length;
  for (const key in fields.properties) {
    chars += key.length + fields.properties[key].length;
    strings += 2;
  }
  if (fields.deadLetterOf) chars += fields.deadLetterOf.topic.length + fields.deadLetterOf.messageId.length;
  return 3 * chars + 4 * (strings + 4) + 80;
}

/** The header's bytes: a view of a shared buffer, valid until the next call (copy it into the record). */
export function encodeHeader(fields: HeaderFields): Buffer {
  const bound = boundOf(fields);
  if (bound > scratch.length) scratch = Buffer.allocUnsafe(Math.max(bound, scratch.length * 2));
  const out = new Writer(scratch);
  const placed = fields.topicId !== undefined;
  let flags = placed ? Flag.Placed : 0;
  if (fields.tag !== undefined) flags |= Flag.Tag;
  if (fields.messageGroup !== undefined) flags |= Flag.MessageGroup;
  if (fields.traceContext !== undefined) flags |= Flag.TraceContext;
  if (fields.transactionId !== undefined) flags |= Flag.TransactionId;
  if (fields.releases !== undefined) flags |= Flag.Releases;
  if (fields.deliverAt !== undefined) flags |= Flag.DeliverAt;
  if (fields.gzip) flags |= Flag.Gzip;
  if (fields.deadLetterOf) flags |= Flag.DeadLetterOf;
  out.u16(flags);
  out.u8(TYPES.indexOf(fields.type));
  out.f64(fields.bornAt);
  out.f64(fields.storedAt);
  if (placed) {
    out.u32(fields.topicId as number);
    out.u32(fields.queueId as number);
    out.f64(fields.offset as number);
  }
  out.string(fields.topic);
  out.string(fields.messageId);
  out.string(fields.bornHost);
  out.string(fields.digest);
  if (fields.tag !== undefined) out.string(fields.tag);
  if (fields.messageGroup !== undefined) out.string(fields.messageGroup);
  if (fields.traceContext !== undefined) out.string(fields.traceContext);
  if (fields.transactionId !== undefined) out.string(fields.transactionId);
  if (fields.releases !== undefined) out.string(fields.releases);
  if (fields.deliverAt !== undefined) out.f64(fields.deliverAt);
  out.u32(fields.keys.length);
  for (const key of fields.keys) out.string(key);
  const countAt = out.at;
  out.u32(0);
  let properties = 0;
  for (const key in fields.properties) {
    out.string(key);
    out.string(fields.properties[key]);
    properties++;
  }
  scratch.writeUInt32LE(properties, countAt);
  if (fields.deadLetterOf) {
    out.string(fields.deadLetterOf.topic);
    out.string(fields.deadLetterOf.messageId);
    out.u32(fields.deadLetterOf.queueId);
    out.f64(fields.deadLetterOf.offset);
  }
  return scratch.subarray(0, out.at);
}

/** A header written by encodeHeader; throws RangeError when the bytes are not one (a damaged record). */
export function decodeHeader(data: Buffer): HeaderFields {
  let at = 0;
  const u32 = () => ((at += 4), data.readUInt32LE(at - 4));
  const f64 = () => ((at += 8), data.readDoubleLE(at - 8));
  const string = () => {
    const length = u32();
    if (at + length > data.length) throw new RangeError(`string of ${length} bytes past the end of a ${data.length}-byte header`);
    at += length;
    return data.toString('utf8', at - length, at);
  };
  const flags = data.readUInt16LE(0);
  const type = TYPES[data.readUInt8(2)];
  if (type === undefined) throw new RangeError(`unknown message type ${data.readUInt8(2)} in a record header`);
  at = 3;
  const bornAt = f64();
  const storedAt = f64();
  const placed = (flags & Flag.Placed) !== 0;
  const topicId = placed ? u32() : undefined;
  const queueId = placed ? u32() : undefined;
  const offset = placed ? f64() : undefined;
  const topic = string();
  const messageId = string();
  const bornHost = string();
  const digest = string();
  const tag = flags & Flag.Tag ? string() : undefined;
  const messageGroup = flags & Flag.MessageGroup ? string() : undefined;
  const traceContext = flags & Flag.TraceContext ? string() : undefined;
  const transactionId = flags & Flag.TransactionId ? string() : undefined;
  const releases = flags & Flag.Releases ? string() : undefined;
  const deliverAt = flags & Flag.DeliverAt ? f64() : undefined;
  const count = () => {
    const value = u32();
    // Every item takes at least its 4-byte length: a larger count is damage, not a list to allocate.
    if (value > (data.length - at) / 4) throw new RangeError(`count ${value} past the end of a ${data.length}-byte header`);
    return value;
  };
  const keys: string[] = new Array(count());
  for (let i = 0; i < keys.length; i++) keys[i] = string();
  const properties: Record<string, string> = {};
  for (let left = count(); left > 0; left--) properties[string()] = string();
  const deadLetterOf = flags & Flag.DeadLetterOf ? { topic: string(), messageId: string(), queueId: u32(), offset: f64() } : undefined;
  return {
    topic,
    messageId,
    type,
    tag,
    keys,
    messageGroup,
    deliverAt,
    properties,
    bornAt,
    bornHost,
    traceContext,
    gzip: (flags & Flag.Gzip) !== 0,
    digest,
    deadLetterOf,
    storedAt,
    transactionId,
    topicId,
    queueId,
    offset,
    releases,
  };
}
