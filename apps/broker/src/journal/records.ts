import type { MessageDraft, StoredMessage } from '../messaging/message';

/**
 * What the commit log holds. Messages carry their body; everything else is a small JSON record
 * describing a state change, replayed in order on start to rebuild queues and consumer progress.
 */
export enum RecordType {
  /** A message visible in its queue. `releases` names a staged message it replaces. */
  Message = 1,
  /** A message not yet in a queue: a transaction half message or a delay message. */
  Staged = 2,
  /** A staged message that will never be released (rolled back, recalled, out of checks). */
  Discarded = 3,
  /** A consumer group starts consuming a topic at these queue offsets. */
  Subscribed = 4,
  /** A delivery or visibility change of one message to one group. */
  Delivered = 5,
  /** A group is done with a message: acknowledged or dead-lettered. */
  Finished = 6,
  /** A dead-lettered message handed back to its group (DLQ replay). */
  Reopened = 7,
  /** A consumer group and its progress were deleted. */
  GroupDeleted = 8,
}

export type MessageMeta = Omit<StoredMessage, 'body' | 'position'> & { releases?: string };
export type StagedMeta = Omit<MessageDraft, 'body'> & { storedAt: number; transactionId?: string };
export interface DiscardedRecord { messageId: string; reason: string }
export interface SubscribedRecord { group: string; topic: string; startOffsets: number[] }
export interface DeliveredRecord { group: string; topic: string; queueId: number; offset: number; attempt: number; visibleAt: number; version: number }
export interface FinishedRecord { group: string; topic: string; queueId: number; offset: number }
/** `deadLetterOffset`: the replayed copy's offset in %DLQ%<group>. */
export interface ReopenedRecord extends FinishedRecord { deadLetterOffset: number; at: number }
export interface GroupDeletedRecord { group: string }

export function encodeWithBody(meta: object, body: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(meta));
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32LE(json.length, 0);
  return Buffer.concat([header, json, body]);
}

export function decodeWithBody<T>(payload: Buffer): { meta: T; body: Buffer } {
  const length = payload.readUInt32LE(0);
  return {
    meta: JSON.parse(payload.subarray(4, 4 + length).toString()) as T,
    body: Buffer.from(payload.subarray(4 + length)),
  };
}

export function encodeJson(record: object): Buffer {
  return Buffer.from(JSON.stringify(record));
}

export function decodeJson<T>(payload: Buffer): T {
  return JSON.parse(payload.toString()) as T;
}
