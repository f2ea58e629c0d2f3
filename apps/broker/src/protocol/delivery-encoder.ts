import type { DeliveryFields, EncodableMessage } from './message-codec';
import { Out, fieldSize, keySize, secondsNanosSize, varintSize, writeSecondsNanos } from './protobuf-out';

/*
 * ReceiveMessageResponse { message } encoded by hand, straight into one buffer of the exact size:
 * every delivered message goes through here, and the generic path (fromObject, then an encoder that
 * records an operation per field) costs several times as much. Field numbers are those of
 * apache/rocketmq/v2/definition.proto and service.proto; delivery-encoder.spec.ts decodes the result
 * with those files.
 */

const MESSAGE_TYPES: Record<string, number> = { NORMAL: 1, FIFO: 2, DELAY: 3, TRANSACTION: 4 };
const DIGEST_MD5 = 2;
const ENCODING_IDENTITY = 1;
const ENCODING_GZIP = 2;

// Field keys: (field number << 3) | wire type (0 varint, 2 length-delimited).
const KEY = {
  responseMessage: (2 << 3) | 2,
  topic: (1 << 3) | 2,
  resourceName: (2 << 3) | 2,
  userProperty: (2 << 3) | 2,
  mapKey: (1 << 3) | 2,
  mapValue: (2 << 3) | 2,
  systemProperties: (3 << 3) | 2,
  body: (4 << 3) | 2,
  tag: (1 << 3) | 2,
  key: (2 << 3) | 2,
  messageId: (3 << 3) | 2,
  digest: (4 << 3) | 2,
  digestType: (1 << 3) | 0,
  digestChecksum: (2 << 3) | 2,
  bodyEncoding: (5 << 3) | 0,
  messageType: (6 << 3) | 0,
  bornTimestamp: (7 << 3) | 2,
  bornHost: (8 << 3) | 2,
  storeTimestamp: (9 << 3) | 2,
  storeHost: (10 << 3) | 2,
  deliveryTimestamp: (11 << 3) | 2,
  receiptHandle: (12 << 3) | 2,
  queueId: (13 << 3) | 0,
  queueOffset: (14 << 3) | 0,
  invisibleDuration: (15 << 3) | 2,
  deliveryAttempt: (16 << 3) | 0,
  messageGroup: (17 << 3) | 2,
  traceContext: (18 << 3) | 2,
  deadLetterQueue: (20 << 3) | 2,
  dlqTopic: (1 << 3) | 2,
  dlqMessageId: (2 << 3) | 2,
} as const;

const seconds = (ms: number) => Math.floor(ms / 1000);
const nanos = (ms: number) => (ms % 1000) * 1e6;
const millisSize = (ms: number) => secondsNanosSize(seconds(ms), nanos(ms));
const writeMillis = (out: Out, key: number, ms: number) => writeSecondsNanos(out, key, seconds(ms), nanos(ms));

interface Sized {
  text: string;
  bytes: number;
}

const sized = (text: string): Sized => ({ text, bytes: Buffer.byteLength(text) });

/**
 * A ReceiveMessageResponse carrying one delivered message as a whole gRPC frame (ServerCall.writeFrame):
 * one stream write per delivery instead of a header's and a message's.
 */
export function encodeDelivery(message: EncodableMessage, delivery: DeliveryFields): Buffer {
  // The Java broker leaks these into user properties; the official client's tests rely on them.
  const properties: [Sized, Sized][] = Object.keys(message.properties).map((key) => [sized(key), sized(message.properties[key])]);
  if (message.messageGroup !== undefined) properties.push([sized('__SHARDINGKEY'), sized(message.messageGroup)]);
  if (message.transactionId !== undefined) properties.push([sized('__transactionId__'), sized(message.transactionId)]);
  const propertySizes = properties.map(([key, value]) => fieldSize(KEY.mapKey, key.bytes) + fieldSize(KEY.mapValue, value.bytes));

  const topic = sized(message.topic);
  const tag = message.tag === undefined ? undefined : sized(message.tag);
  const keys = message.keys.map(sized);
  const messageId = sized(message.messageId);
  const digest = sized(message.digest);
  const bornHost = sized(message.bornHost);
  const storeHost = sized(delivery.storeHost);
  const receiptHandle = sized(delivery.receiptHandle);
  const messageGroup = message.messageGroup === undefined ? undefined : sized(message.messageGroup);
  const traceContext = message.traceContext === undefined ? undefined : sized(message.traceContext);
  const dlqTopic = message.deadLetterOf && sized(message.deadLetterOf.topic);
  const dlqMessageId = message.deadLetterOf && sized(message.deadLetterOf.messageId);
  const digestSize = 2 + fieldSize(KEY.digestChecksum, digest.bytes);
  const dlqSize = dlqTopic && dlqMessageId ? fieldSize(KEY.dlqTopic, dlqTopic.bytes) + fieldSize(KEY.dlqMessageId, dlqMessageId.bytes) : 0;

  const systemSize =
    (tag ? fieldSize(KEY.tag, tag.bytes) : 0) +
    keys.reduce((sum, key) => sum + fieldSize(KEY.key, key.bytes), 0) +
    fieldSize(KEY.messageId, messageId.bytes) +
    fieldSize(KEY.digest, digestSize) +
    2 + // body encoding
    2 + // message type
    fieldSize(KEY.bornTimestamp, millisSize(message.bornAt)) +
    fieldSize(KEY.bornHost, bornHost.bytes) +
    fieldSize(KEY.storeTimestamp, millisSize(message.storedAt)) +
    fieldSize(KEY.storeHost, storeHost.bytes) +
    (message.deliverAt !== undefined ? fieldSize(KEY.deliveryTimestamp, millisSize(message.deliverAt)) : 0) +
    fieldSize(KEY.receiptHandle, receiptHandle.bytes) +
    (message.queueId ? 1 + varintSize(message.queueId) : 0) +
    (message.offset !== undefined ? 1 + varintSize(message.offset) : 0) +
    fieldSize(KEY.invisibleDuration, millisSize(delivery.invisibleMs)) +
    keySize(KEY.deliveryAttempt) + varintSize(delivery.attempt) +
    (messageGroup ? fieldSize(KEY.messageGroup, messageGroup.bytes) : 0) +
    (traceContext ? fieldSize(KEY.traceContext, traceContext.bytes) : 0) +
    (dlqTopic ? fieldSize(KEY.deadLetterQueue, dlqSize) : 0);
  const topicSize = fieldSize(KEY.resourceName, topic.bytes);
  const messageSize =
    fieldSize(KEY.topic, topicSize) +
    propertySizes.reduce((sum, size) => sum + fieldSize(KEY.userProperty, size), 0) +
    fieldSize(KEY.systemProperties, systemSize) +
    fieldSize(KEY.body, message.body.length);

  const out = Out.frame(fieldSize(KEY.responseMessage, messageSize));
  out.open(KEY.responseMessage, messageSize);
  out.open(KEY.topic, topicSize).string(KEY.resourceName, topic.text, topic.bytes);
  properties.forEach(([key, value], i) => out.open(KEY.userProperty, propertySizes[i]).string(KEY.mapKey, key.text, key.bytes).string(KEY.mapValue, value.text, value.bytes));
  out.open(KEY.systemProperties, systemSize);
  if (tag) out.string(KEY.tag, tag.text, tag.bytes);
  for (const key of keys) out.string(KEY.key, key.text, key.bytes);
  out.string(KEY.messageId, messageId.text, messageId.bytes);
  out.open(KEY.digest, digestSize).varint(KEY.digestType).varint(DIGEST_MD5).string(KEY.digestChecksum, digest.text, digest.bytes);
  out.varint(KEY.bodyEncoding).varint(message.gzip ? ENCODING_GZIP : ENCODING_IDENTITY);
  out.varint(KEY.messageType).varint(MESSAGE_TYPES[message.type] ?? 0);
  writeMillis(out, KEY.bornTimestamp, message.bornAt);
  out.string(KEY.bornHost, bornHost.text, bornHost.bytes);
  writeMillis(out, KEY.storeTimestamp, message.storedAt);
  out.string(KEY.storeHost, storeHost.text, storeHost.bytes);
  if (message.deliverAt !== undefined) writeMillis(out, KEY.deliveryTimestamp, message.deliverAt);
  out.string(KEY.receiptHandle, receiptHandle.text, receiptHandle.bytes);
  if (message.queueId) out.varint(KEY.queueId).varint(message.queueId);
  if (message.offset !== undefined) out.varint(KEY.queueOffset).varint(message.offset);
  writeMillis(out, KEY.invisibleDuration, delivery.invisibleMs);
  out.varint(KEY.deliveryAttempt).varint(delivery.attempt);
  if (messageGroup) out.string(KEY.messageGroup, messageGroup.text, messageGroup.bytes);
  if (traceContext) out.string(KEY.traceContext, traceContext.text, traceContext.bytes);
  if (dlqTopic && dlqMessageId) out.open(KEY.deadLetterQueue, dlqSize).string(KEY.dlqTopic, dlqTopic.text, dlqTopic.bytes).string(KEY.dlqMessageId, dlqMessageId.text, dlqMessageId.bytes);
  out.bytes(KEY.body, message.body);
  if (out.at !== out.buffer.length) throw new Error(`delivery encoding wrote ${out.at} of ${out.buffer.length} bytes`);
  return out.buffer;
}
