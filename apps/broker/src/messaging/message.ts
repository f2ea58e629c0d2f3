import type { TopicType } from '../config/broker-config';

export type MessageType = Exclude<TopicType, 'MIXED'>;

/** Where a %DLQ%<group> copy came from: enough to hand the original back to its group. */
export interface DeadLetterOrigin {
  topic: string;
  messageId: string;
  queueId: number;
  offset: number;
}

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
  /** MD5 of the body, upper-case hex: computed once on arrival, sent with every delivery. */
  digest: string;
  deadLetterOf?: DeadLetterOrigin;
}

/** A message in a queue. */
export interface StoredMessage extends MessageDraft {
  /** The topic's incarnation: a topic deleted and created again gets a new id. */
  topicId: number;
  queueId: number;
  offset: number;
  storedAt: number;
  /** Position of its record in the message log. */
  position: number;
  transactionId?: string;
}

export function deadLetterTopic(group: string): string {
  return `%DLQ%${group}`;
}

/** The producer-given fields of a message, e.g. to copy it into a dead-letter queue or release it from staging. */
export function draftOf(message: MessageDraft): MessageDraft {
  const { topic, messageId, type, tag, keys, messageGroup, deliverAt, properties, bornAt, bornHost, traceContext, gzip, body, digest, deadLetterOf } = message;
  return { topic, messageId, type, tag, keys, messageGroup, deliverAt, properties, bornAt, bornHost, traceContext, gzip, body, digest, deadLetterOf };
}
