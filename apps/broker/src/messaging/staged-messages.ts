import type { BrokerConfig } from '../config/broker-config';
import { RecordType, encodeWithBody, type StagedMeta } from '../journal/records';
import { TimerQueue } from '../scheduling/timer-queue';
import type { CommitLog } from '../storage/commit-log';
import { type MessageDraft, withoutBody } from './message';

/** A message stored but not yet in its queue: a transaction half message or a future delay message. */
export interface StagedMessage extends MessageDraft {
  storedAt: number;
  transactionId?: string;
  /** Check-backs sent so far (half messages). */
  checks: number;
}

export interface StagedActions {
  release(message: StagedMessage): void;
  discard(message: StagedMessage, reason: string): void;
  /** Sends a check-back; returns false when no producer could be asked. */
  check(message: StagedMessage): boolean;
}

/**
 * Half messages wait for EndTransaction (or a check-back answer); delay messages wait for their
 * delivery time. Either way they are journaled as Staged, and leave by being released into their
 * queue or discarded.
 */
export class StagedMessages {
  private readonly messages = new Map<string, StagedMessage>();
  private readonly deliveries = new TimerQueue((id) => this.release(id));
  private readonly checks = new TimerQueue((id) => this.checkBack(id));

  constructor(
    private readonly transaction: BrokerConfig['transaction'],
    private readonly actions: StagedActions,
  ) {}

  async stage(draft: MessageDraft, log: CommitLog): Promise<void> {
    const meta: StagedMeta = { ...withoutBody(draft), storedAt: Date.now() };
    if (draft.type === 'TRANSACTION') meta.transactionId = draft.messageId;
    await log.append(RecordType.Staged, encodeWithBody(meta, draft.body)).durable;
    this.add({ ...meta, body: draft.body, checks: 0 });
  }

  /** Replay: the message was staged; `schedule` runs once replay is complete. */
  restore(meta: StagedMeta, body: Buffer): void {
    this.messages.set(meta.messageId, { ...meta, body, checks: 0 });
  }

  /** Replay: the message was released or discarded later in the log. */
  forget(messageId: string): void {
    this.messages.delete(messageId);
  }

  /** The producer-given fields of a staged message, for its release into the queue. */
  static draftOf(message: StagedMessage): MessageDraft {
    const { storedAt: _storedAt, transactionId: _transactionId, checks: _checks, ...draft } = message;
    return draft;
  }

  scheduleRestored(): void {
    for (const message of this.messages.values()) this.schedule(message);
  }

  half(transactionId: string): StagedMessage | undefined {
    const message = this.messages.get(transactionId);
    return message?.transactionId === transactionId ? message : undefined;
  }

  halves(): StagedMessage[] {
    return [...this.messages.values()].filter((message) => message.transactionId !== undefined);
  }

  get delayedCount(): number {
    return this.deliveries.size;
  }

  release(messageId: string): void {
    const message = this.take(messageId);
    if (message) this.actions.release(message);
  }

  discard(messageId: string, reason: string): void {
    const message = this.take(messageId);
    if (message) this.actions.discard(message, reason);
  }

  /** Like Apache's RecallMessageHandle: base64url("v1 <topic> <broker> <timestamp> <messageId>"). */
  recallHandle(draft: MessageDraft): string {
    return Buffer.from(`v1 ${draft.topic} embedded ${draft.deliverAt} ${draft.messageId}`).toString('base64url');
  }

  recall(topic: string, recallHandle: string): string | undefined {
    const [version, handleTopic, , , messageId] = Buffer.from(recallHandle, 'base64url').toString().split(' ');
    const message = version === 'v1' && handleTopic === topic ? this.messages.get(messageId) : undefined;
    if (!message || message.transactionId !== undefined) return undefined;
    this.discard(messageId, 'recalled');
    return messageId;
  }

  stop(): void {
    this.deliveries.stop();
    this.checks.stop();
  }

  private add(message: StagedMessage): void {
    this.messages.set(message.messageId, message);
    this.schedule(message);
  }

  private schedule(message: StagedMessage): void {
    if (message.transactionId !== undefined) this.checks.schedule(message.messageId, message.storedAt + this.transaction.firstCheckAfterMs);
    else this.deliveries.schedule(message.messageId, message.deliverAt ?? 0);
  }

  private take(messageId: string): StagedMessage | undefined {
    const message = this.messages.get(messageId);
    if (!message) return undefined;
    this.messages.delete(messageId);
    this.deliveries.cancel(messageId);
    this.checks.cancel(messageId);
    return message;
  }

  private checkBack(messageId: string): void {
    const message = this.messages.get(messageId);
    if (!message) return;
    if (message.checks >= this.transaction.maxChecks) {
      this.discard(messageId, `no resolution after ${message.checks} check-backs: rolled back`);
      return;
    }
    message.checks++;
    this.actions.check(message);
    this.checks.schedule(messageId, Date.now() + this.transaction.checkIntervalMs);
  }
}
