import { Writer } from 'protobufjs/minimal';
import type { EncodableMessage, DeliveryFields } from './message-codec';

/*
 * ReceiveMessageResponse { message } encoded by hand: the generic path (fromObject, then encode)
 * costs about three times as much, and every delivered message goes through here. Field numbers are
 * those of apache/rocketmq/v2/definition.proto and service.proto; delivery-encoder.spec.ts decodes the
 * result with the official .proto files and compares it with the generic encoder's.
 */

const LENGTH_DELIMITED = 2;
const VARINT = 0;
const tag = (field: number, wireType: number) => (field << 3) | wireType;

const MESSAGE_TYPES: Record<string, number> = { NORMAL: 1, FIFO: 2, DELAY: 3, TRANSACTION: 4 };
const DIGEST_MD5 = 2;
const ENCODING_IDENTITY = 1;
const ENCODING_GZIP = 2;

function string(writer: Writer, field: number, value: string | undefined): void {
  if (value !== undefined) writer.uint32(tag(field, LENGTH_DELIMITED)).string(value);
}

function timestamp(writer: Writer, field: number, ms: number): void {
  writer.uint32(tag(field, LENGTH_DELIMITED)).fork();
  writer.uint32(tag(1, VARINT)).int64(Math.floor(ms / 1000));
  const nanos = (ms % 1000) * 1e6;
  if (nanos !== 0) writer.uint32(tag(2, VARINT)).int32(nanos);
  writer.ldelim();
}

function systemProperties(writer: Writer, message: EncodableMessage, delivery: DeliveryFields): void {
  writer.uint32(tag(3, LENGTH_DELIMITED)).fork();
  string(writer, 1, message.tag);
  for (const key of message.keys) writer.uint32(tag(2, LENGTH_DELIMITED)).string(key);
  string(writer, 3, message.messageId);
  writer.uint32(tag(4, LENGTH_DELIMITED)).fork().uint32(tag(1, VARINT)).int32(DIGEST_MD5).uint32(tag(2, LENGTH_DELIMITED)).string(message.digest).ldelim();
  writer.uint32(tag(5, VARINT)).int32(message.gzip ? ENCODING_GZIP : ENCODING_IDENTITY);
  writer.uint32(tag(6, VARINT)).int32(MESSAGE_TYPES[message.type] ?? 0);
  timestamp(writer, 7, message.bornAt);
  string(writer, 8, message.bornHost);
  timestamp(writer, 9, message.storedAt);
  string(writer, 10, delivery.storeHost);
  if (message.deliverAt !== undefined) timestamp(writer, 11, message.deliverAt);
  string(writer, 12, delivery.receiptHandle);
  if (message.queueId) writer.uint32(tag(13, VARINT)).int32(message.queueId);
  if (message.offset !== undefined) writer.uint32(tag(14, VARINT)).int64(message.offset);
  writer.uint32(tag(15, LENGTH_DELIMITED)).fork().uint32(tag(1, VARINT)).int64(Math.floor(delivery.invisibleMs / 1000));
  if (delivery.invisibleMs % 1000 !== 0) writer.uint32(tag(2, VARINT)).int32((delivery.invisibleMs % 1000) * 1e6);
  writer.ldelim();
  writer.uint32(tag(16, VARINT)).int32(delivery.attempt);
  string(writer, 17, message.messageGroup);
  string(writer, 18, message.traceContext);
  if (message.deadLetterOf) {
    writer.uint32(tag(20, LENGTH_DELIMITED)).fork();
    string(writer, 1, message.deadLetterOf.topic);
    string(writer, 2, message.deadLetterOf.messageId);
    writer.ldelim();
  }
  writer.ldelim();
}

function userProperty(writer: Writer, key: string, value: string): void {
  writer.uint32(tag(2, LENGTH_DELIMITED)).fork().uint32(tag(1, LENGTH_DELIMITED)).string(key).uint32(tag(2, LENGTH_DELIMITED)).string(value).ldelim();
}

/** The bytes of a ReceiveMessageResponse carrying one delivered message, ready for the stream. */
export function encodeDelivery(message: EncodableMessage, delivery: DeliveryFields): Buffer {
  const writer = Writer.create();
  writer.uint32(tag(2, LENGTH_DELIMITED)).fork();
  writer.uint32(tag(1, LENGTH_DELIMITED)).fork().uint32(tag(2, LENGTH_DELIMITED)).string(message.topic).ldelim();
  for (const key in message.properties) userProperty(writer, key, message.properties[key]);
  // The Java broker leaks these into user properties; the official client's tests rely on them.
  if (message.messageGroup !== undefined) userProperty(writer, '__SHARDINGKEY', message.messageGroup);
  if (message.transactionId !== undefined) userProperty(writer, '__transactionId__', message.transactionId);
  systemProperties(writer, message, delivery);
  writer.uint32(tag(4, LENGTH_DELIMITED)).bytes(message.body);
  writer.ldelim();
  return writer.finish() as Buffer;
}
