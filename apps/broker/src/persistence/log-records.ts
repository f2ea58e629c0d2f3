import { fieldsOf, type MessageFields, type Placement } from '../messaging/message';
import { allocateRecord, RECORD_OVERHEAD_BYTES, sealRecord } from '../storage/record-codec';
import { decodeHeader, encodeHeader } from './message-header';

/**
 * What the message log holds: message bodies and the lifecycle of staged ones. Consumer state lives
 * in the state journal and checkpoints (persistence/state-journal.ts), never here, so deleting old
 * segments never deletes state.
 *
 * Message and staged records carry a binary header (message-header.ts) since ADR 0015; logs written
 * before carry JSON headers under their own record types, still read (never written).
 */
export enum LogRecord {
  /** Before ADR 0015: a message in its queue with a JSON header. */
  JsonMessage = 1,
  /** Before ADR 0015: a staged message with a JSON header. */
  JsonStaged = 2,
  /** A staged message that will never be released (rolled back, recalled, out of checks). */
  Discarded = 3,
  /** A message in its queue. `releases` names the staged message it replaces. */
  Message = 4,
  /** A message not in a queue yet: a transaction half message or a delay message. */
  Staged = 5,
}

/** A message's record header: its fields, where it was put, and the staged message it replaces. */
export type MessageMeta = MessageFields & Placement & { releases?: string };

export function messageMeta(fields: MessageFields, placement: Placement, releases?: string): MessageMeta {
  const meta = fieldsOf(fields) as MessageMeta;
  meta.topicId = placement.topicId;
  meta.queueId = placement.queueId;
  meta.offset = placement.offset;
  meta.storedAt = placement.storedAt;
  meta.transactionId = placement.transactionId;
  meta.releases = releases;
  return meta;
}

/** A staged message's fields on disk (its body follows them in the record). */
export type StagedMeta = MessageFields & { storedAt: number; transactionId?: string };

export function stagedMeta(fields: MessageFields, storedAt: number, transactionId: string | undefined): StagedMeta {
  const meta = fieldsOf(fields) as StagedMeta;
  meta.storedAt = storedAt;
  meta.transactionId = transactionId;
  return meta;
}

export interface DiscardedRecord {
  messageId: string;
  reason: string;
}

export function encodeMessageRecord(meta: MessageMeta, body: Buffer): Buffer {
  return encodeWithBody(LogRecord.Message, meta.storedAt, encodeHeader(meta), body);
}

export function encodeStagedRecord(meta: StagedMeta, body: Buffer): Buffer {
  return encodeWithBody(LogRecord.Staged, meta.storedAt, encodeHeader(meta), body);
}

/** A message record's header and body (a view into `payload`); undefined for any other record type. */
export function decodeMessageRecord(type: number, payload: Buffer): { meta: MessageMeta; body: Buffer } | undefined {
  if (type === LogRecord.Message) return decodeWithBody(payload, (header) => decodeHeader(header) as MessageMeta);
  if (type === LogRecord.JsonMessage) return decodeWithBody(payload, parseJson<MessageMeta>);
  return undefined;
}

/** A staged record's header and body (a view into `payload`); undefined for any other record type. */
export function decodeStagedRecord(type: number, payload: Buffer): { meta: StagedMeta; body: Buffer } | undefined {
  if (type === LogRecord.Staged) return decodeWithBody(payload, decodeHeader);
  if (type === LogRecord.JsonStaged) return decodeWithBody(payload, parseJson<StagedMeta>);
  return undefined;
}

/** A whole record whose payload is [u32 header length][header][body], built in place: the body is copied once. */
function encodeWithBody(type: LogRecord, timestampMs: number, header: Buffer, body: Buffer): Buffer {
  const record = allocateRecord(type, timestampMs, 4 + header.length + body.length);
  record.writeUInt32LE(header.length, RECORD_OVERHEAD_BYTES);
  header.copy(record, RECORD_OVERHEAD_BYTES + 4);
  body.copy(record, RECORD_OVERHEAD_BYTES + 4 + header.length);
  return sealRecord(record);
}

function decodeWithBody<T>(payload: Buffer, decode: (header: Buffer) => T): { meta: T; body: Buffer } {
  const length = payload.readUInt32LE(0);
  return { meta: decode(payload.subarray(4, 4 + length)), body: payload.subarray(4 + length) };
}

function parseJson<T>(header: Buffer): T {
  return JSON.parse(header.toString('utf8')) as T;
}

export function encodeJson(record: object): Buffer {
  return Buffer.from(JSON.stringify(record));
}

export function decodeJson<T>(payload: Buffer): T {
  return JSON.parse(payload.toString()) as T;
}
