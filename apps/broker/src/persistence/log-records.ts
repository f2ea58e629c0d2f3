import type { MessageDraft, StoredMessage } from '../messaging/message';

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

export type MessageMeta = Omit<StoredMessage, 'body' | 'position'> & { releases?: string };

/** A staged message's fields on disk (its body follows them in the record). */
export type StagedMeta = Omit<MessageDraft, 'body'> & { storedAt: number; transactionId?: string };

export interface DiscardedRecord {
  messageId: string;
  reason: string;
}

/** [u32 meta length][meta JSON][body]: the body is never copied through JSON. */
export function encodeWithBody(meta: object, body: Buffer): Buffer {
  const json = JSON.stringify(meta);
  const jsonBytes = Buffer.byteLength(json);
  const payload = Buffer.allocUnsafe(4 + jsonBytes + body.length);
  payload.writeUInt32LE(jsonBytes, 0);
  payload.write(json, 4);
  body.copy(payload, 4 + jsonBytes);
  return payload;
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
