import type { DamageLog } from '../storage/damage-log';
import type { FileSystem } from '../storage/file-system';
import { type RecoveryReport, SegmentedLog } from '../storage/segmented-log';
import { decodeJson, encodeJson } from './log-records';

/**
 * Consumer-group state changes since the last checkpoint, in their own small log (state/journal):
 * message segments can be deleted without touching them, and a checkpoint lets older journal
 * segments go. One record per receive batch or ack batch, not per message.
 */
export enum StateRecord {
  /** A consumer group starts reading a topic at these queue offsets. */
  Subscribed = 1,
  /** Deliveries or visibility changes of messages to one group. */
  Delivered = 2,
  /** A group is done with messages: acknowledged or dead-lettered. */
  Finished = 3,
  /** A dead-lettered message handed back to its group (DLQ replay). */
  Reopened = 4,
  /** A consumer group and its progress were deleted. */
  GroupDeleted = 5,
}

export interface SubscribedRecord { group: string; topic: string; topicId: number; startOffsets: number[] }
/** items: [queueId, offset, attempt, visibleAt, version, groupHash (0: none)] */
export interface DeliveredRecord { group: string; topic: string; topicId: number; items: [number, number, number, number, number, number][] }
/** items: [queueId, offset] */
export interface FinishedRecord { group: string; topic: string; topicId: number; items: [number, number][] }
/** `deadLetterOffset`: the replayed copy's offset in %DLQ%<group>. */
export interface ReopenedRecord { group: string; topic: string; topicId: number; queueId: number; offset: number; deadLetterOffset: number; at: number }
export interface GroupDeletedRecord { group: string }

export type StateChange =
  | { type: StateRecord.Subscribed; record: SubscribedRecord }
  | { type: StateRecord.Delivered; record: DeliveredRecord }
  | { type: StateRecord.Finished; record: FinishedRecord }
  | { type: StateRecord.Reopened; record: ReopenedRecord }
  | { type: StateRecord.GroupDeleted; record: GroupDeletedRecord };

const SEGMENT_BYTES = 4 * 1024 * 1024;

export class StateJournal {
  private constructor(private readonly log: SegmentedLog) {}

  static async open(fileSystem: FileSystem, dir: string, fsync: boolean, damage: DamageLog): Promise<StateJournal> {
    return new StateJournal(await SegmentedLog.open(fileSystem, dir, { segmentBytes: SEGMENT_BYTES, fsync }, damage));
  }

  get firstPosition(): number {
    return this.log.firstPosition;
  }

  get endPosition(): number {
    return this.log.endPosition;
  }

  get sizeBytes(): number {
    return this.log.sizeBytes;
  }

  /** Replays the changes from `from` on (damaged records are reported and skipped); then appends may start. */
  recover(from: number, apply: (change: StateChange) => void): Promise<RecoveryReport> {
    return this.log.recover(from, (type, payload) => apply({ type, record: decodeJson(payload) } as StateChange));
  }

  /** Resolves once the change is durable; a `deferred` change waits for another's write (SegmentedLog.append). */
  append(change: StateChange, now: number, deferred = false): Promise<void> {
    return this.log.append(change.type, encodeJson(change.record), now, deferred).durable;
  }

  /** Deletes the segments wholly before `position` (covered by a checkpoint). */
  async compact(position: number): Promise<void> {
    await this.log.deleteSegmentsBelow(position);
  }

  flush(): Promise<void> {
    return this.log.flush();
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
