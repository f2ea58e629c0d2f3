import { fieldsOf, type MessageFields, type Placement } from '../messaging/message';
import { allocateRecord, RECORD_OVERHEAD_BYTES, sealRecord } from '../storage/record-codec';

/**
 * What the message log holds: message bodies and the lifecycle of staged ones. Consumer state lives
 * in the state journal and checkpoints (persistence/state-journal.ts), never here, so deleting old
 * segments never deletes state.
 */
export enum LogRecord {
  /** A message in its queue. `releases` names the staged message it replaces. */
  Message = 1,
  /** A message not in a queue yet: a transaction half message or a delay message. */
  Staged = 2,
  /** A staged message that will never be released (rolled back, recalled, out of checks). */
  Discarded = 3,
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

/** A whole record whose payload is [u32 meta length][meta JSON][body], built in place: the body is copied once. */
export function encodeWithBody(type: LogRecord, timestampMs: number, meta: object, body: Buffer): Buffer {
  const json = JSON.stringify(meta);
  const jsonBytes = Buffer.byteLength(json);
  const record = allocateRecord(type, timestampMs, 4 + jsonBytes + body.length);
  record.writeUInt32LE(jsonBytes, RECORD_OVERHEAD_BYTES);
  record.write(json, RECORD_OVERHEAD_BYTES + 4);
  body.copy(record, RECORD_OVERHEAD_BYTES + 4 + jsonBytes);
  return sealRecord(record);
}

/** The body is a view into `payload`. */
export function decodeWithBody<T>(payload: Buffer): { meta: T; body: Buffer } {
  const length = payload.readUInt32LE(0);
  return { meta: JSON.parse(payload.toString('utf8', 4, 4 + length)) as T, body: payload.subarray(4 + length) };
}

export function encodeJson(record: object): Buffer {
  return Buffer.from(JSON.stringify(record));
}

export function decodeJson<T>(payload: Buffer): T {
  return JSON.parse(payload.toString()) as T;
}
