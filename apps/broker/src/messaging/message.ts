import type { TopicType } from '../config/broker-config';

export type MessageType = Exclude<TopicType, 'MIXED'>;

/** A message as accepted from a producer, validated, before the log assigns it a place. */
export interface MessageDraft {
  topic: string;
  messageId: string;
  type: MessageType;
  tag?: string;
  keys: string[];
  messageGroup?: string;
  /** Epoch ms at which a DELAY message becomes visible. */
  deliverAt?: number;
  properties: Record<string, string>;
  bornAt: number;
  bornHost: string;
  traceContext?: string;
  gzip: boolean;
  body: Buffer;
  /** Set on copies written to %DLQ%<group>: where the message came from. */
  deadLetterOf?: { topic: string; messageId: string };
}

/** A message stored in a queue. */
export interface StoredMessage extends MessageDraft {
  queueId: number;
  offset: number;
  storedAt: number;
  /** Position of its record in the commit log. */
  position: number;
  transactionId?: string;
}

export function isDeadLetterTopic(topic: string): boolean {
  return topic.startsWith('%DLQ%');
}

export function deadLetterTopic(group: string): string {
  return `%DLQ%${group}`;
}

export function withoutBody(draft: MessageDraft): Omit<MessageDraft, 'body'> {
  const { body: _body, ...rest } = draft;
  return rest;
}

/** The producer-given fields of a stored message, e.g. to copy it into a dead-letter queue. */
export function draftOf(message: StoredMessage): MessageDraft {
  const { queueId: _queueId, offset: _offset, storedAt: _storedAt, position: _position, transactionId: _transactionId, ...draft } = message;
  return draft;
}
