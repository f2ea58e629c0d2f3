import * as crypto from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ProtobufReader } from './protobuf-reader';
import { ProtobufWriter } from './protobuf-writer';

/**
 * The hot messages of apache.rocketmq.v2.MessagingService (service.proto and definition.proto
 * as shipped in rocketmq-client-nodejs/proto), encoded and decoded by hand: SendMessage,
 * EndTransaction, ReceiveMessage, AckMessage, ChangeInvisibleDuration. Field numbers are the protos'.
 */

export interface Status {
  code: number;
  message: string;
}

/** definition.proto MessageType values the data plane sends. */
export const MessageType = { NORMAL: 1, DELAY: 3, TRANSACTION: 4 } as const;
/** definition.proto TransactionResolution and TransactionSource values. */
const RESOLUTION_COMMIT = 1;
const RESOLUTION_ROLLBACK = 2;
const SOURCE_CLIENT = 1;
const ENCODING_IDENTITY = 1;
const ENCODING_GZIP = 2;
const DIGEST_MD5 = 2;
const FILTER_TAG = 1;
const FILTER_SQL = 2;

export interface OutgoingMessage {
  topic: string;
  messageId: string;
  messageType: number;
  body: Buffer;
  tag?: string;
  keys?: string[];
  deliveryTimestampMs?: number;
  properties: Record<string, string>;
}

export interface SendResult {
  status: Status;
  messageId: string;
  /** Set for a transactional (half) message: what its EndTransaction names. */
  transactionId: string;
  offset: number;
  recallHandle: string;
}

/** A message as the broker delivered it; `receiptHandle` changes when its invisible time does. */
export interface RocketMQMessage {
  readonly messageId: string;
  readonly topic: string;
  readonly body: Buffer;
  readonly tag?: string;
  readonly keys: string[];
  readonly messageGroup?: string;
  readonly properties: ReadonlyMap<string, string>;
  readonly bornHost: string;
  readonly bornTimestamp?: Date;
  readonly deliveryTimestamp?: Date;
  /** 1 for the first delivery. */
  readonly deliveryAttempt: number;
  readonly offset?: number;
  /** The body does not match the digest the broker stored with it. */
  readonly corrupted: boolean;
  receiptHandle: string;
  /** `host:port` the message came from; its acknowledgement goes there. */
  readonly endpoint: string;
}

/** definition.proto MessageQueue, as the route describes it. */
export interface QueueRoute {
  topic: string;
  id: number;
  permission: number;
  broker: { name: string; id: number; endpoints: { scheme: number; addresses: { host: string; port: number }[] } };
  acceptMessageTypes: number[];
}

export interface ReceiveParameters {
  namespace: string;
  group: string;
  messageQueue: QueueRoute;
  filter: { sql?: string; tag?: string };
  batchSize: number;
  invisibleMs: number;
  longPollingMs: number;
}

export interface AckResult {
  messageId: string;
  status: Status;
}

const resource = (namespace: string, name: string) => (w: ProtobufWriter) => w.string(1, namespace).string(2, name);
const duration = (ms: number) => (w: ProtobufWriter) => w.uint64(1, Math.floor(ms / 1000)).uint32(2, (ms % 1000) * 1_000_000);
const timestamp = duration;

export function encodeSendMessageRequest(messages: readonly OutgoingMessage[], namespace: string, queueId: number, bornHost: string): Buffer {
  const writer = new ProtobufWriter(messages.reduce((bytes, m) => bytes + m.body.length + 256, 64));
  const bornAt = Date.now();
  for (const message of messages) {
    writer.message(1, (w) => {
      w.message(1, resource(namespace, message.topic));
      for (const key in message.properties) w.message(2, (entry) => entry.string(1, key).string(2, message.properties[key]));
      w.message(3, (system) => {
        system.string(1, message.tag);
        for (const key of message.keys ?? []) system.string(2, key);
        system
          .string(3, message.messageId)
          .uint32(5, ENCODING_IDENTITY)
          .uint32(6, message.messageType)
          .message(7, timestamp(bornAt))
          .string(8, bornHost);
        if (message.deliveryTimestampMs !== undefined) system.message(11, timestamp(message.deliveryTimestampMs));
        system.uint32(13, queueId);
      });
      w.bytes(4, message.body);
    });
  }
  return writer.finish();
}

export function decodeSendMessageResponse(bytes: Buffer): { status: Status; entries: SendResult[] } {
  const reader = new ProtobufReader(bytes);
  let status: Status = { code: 0, message: '' };
  const entries: SendResult[] = [];
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) status = decodeStatus(reader.message());
    else if (field === 2) entries.push(decodeSendResult(reader.message()));
    else reader.skip();
  }
  return { status, entries };
}

function decodeSendResult(reader: ProtobufReader): SendResult {
  const result: SendResult = { status: { code: 0, message: '' }, messageId: '', transactionId: '', offset: 0, recallHandle: '' };
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) result.status = decodeStatus(reader.message());
    else if (field === 2) result.messageId = reader.string();
    else if (field === 3) result.transactionId = reader.string();
    else if (field === 4) result.offset = reader.varint();
    else if (field === 5) result.recallHandle = reader.string();
    else reader.skip();
  }
  return result;
}

export function encodeReceiveMessageRequest(p: ReceiveParameters): Buffer {
  const filter = p.filter.sql !== undefined ? { type: FILTER_SQL, expression: p.filter.sql } : { type: FILTER_TAG, expression: p.filter.tag ?? '*' };
  return new ProtobufWriter(512)
    .message(1, resource(p.namespace, p.group))
    .message(2, messageQueue(p.namespace, p.messageQueue))
    .message(3, (w) => w.uint32(1, filter.type).string(2, filter.expression))
    .uint32(4, p.batchSize)
    .message(5, duration(p.invisibleMs))
    .bool(6, false)
    .message(7, duration(p.longPollingMs))
    .finish();
}

const messageQueue = (namespace: string, queue: QueueRoute) => (w: ProtobufWriter) => {
  w.message(1, resource(namespace, queue.topic)).uint32(2, queue.id).uint32(3, queue.permission);
  w.message(4, (broker) =>
    broker
      .string(1, queue.broker.name)
      .uint32(2, queue.broker.id)
      .message(3, (endpoints) => {
        endpoints.uint32(1, queue.broker.endpoints.scheme);
        for (const address of queue.broker.endpoints.addresses) endpoints.message(2, (a) => a.string(1, address.host).uint32(2, address.port));
      }),
  );
  for (const type of queue.acceptMessageTypes) w.uint32(5, type);
};

/** One ReceiveMessageResponse of the stream: a status, a message, or the delivery timestamp. */
export function decodeReceiveMessageResponse(bytes: Buffer, endpoint: string): { status?: Status; message?: RocketMQMessage } {
  const reader = new ProtobufReader(bytes);
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) return { status: decodeStatus(reader.message()) };
    if (field === 2) return { message: decodeMessage(reader.message(), endpoint) };
    reader.skip();
  }
  return {};
}

function decodeMessage(reader: ProtobufReader, endpoint: string): RocketMQMessage {
  let topic = '';
  let body: Buffer = Buffer.alloc(0);
  const properties = new Map<string, string>();
  let system: SystemProperties = emptySystemProperties();
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) topic = decodeResourceName(reader.message());
    else if (field === 2) decodeMapEntry(reader.message(), properties);
    else if (field === 3) system = decodeSystemProperties(reader.message());
    else if (field === 4) body = reader.bytes();
    else reader.skip();
  }
  // Compared without case (brokers send upper-case hex).
  const corrupted = system.digestType === DIGEST_MD5 && md5Hex(body) !== system.digest.toLowerCase();
  if (system.encoding === ENCODING_GZIP) body = gunzipSync(body);
  return {
    messageId: system.messageId,
    topic,
    body,
    tag: system.tag,
    keys: system.keys,
    messageGroup: system.messageGroup,
    properties,
    bornHost: system.bornHost,
    bornTimestamp: system.bornTimestamp,
    deliveryTimestamp: system.deliveryTimestamp,
    deliveryAttempt: system.deliveryAttempt,
    offset: system.offset,
    corrupted,
    receiptHandle: system.receiptHandle,
    endpoint,
  };
}

/** One-shot `crypto.hash` where Node has it (20.12+: no Hash object per message), else a Hash. */
const md5Hex: (data: Buffer) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('md5', data, 'hex') : (data) => crypto.createHash('md5').update(data).digest('hex');

interface SystemProperties {
  tag?: string;
  keys: string[];
  messageId: string;
  digestType: number;
  digest: string;
  encoding: number;
  bornTimestamp?: Date;
  bornHost: string;
  deliveryTimestamp?: Date;
  receiptHandle: string;
  offset?: number;
  deliveryAttempt: number;
  messageGroup?: string;
}

const emptySystemProperties = (): SystemProperties => ({ keys: [], messageId: '', digestType: 0, digest: '', encoding: ENCODING_IDENTITY, bornHost: '', receiptHandle: '', deliveryAttempt: 1 });

function decodeSystemProperties(reader: ProtobufReader): SystemProperties {
  const p = emptySystemProperties();
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    switch (field) {
      case 1:
        p.tag = reader.string();
        break;
      case 2:
        p.keys.push(reader.string());
        break;
      case 3:
        p.messageId = reader.string();
        break;
      case 4:
        decodeDigest(reader.message(), p);
        break;
      case 5:
        p.encoding = reader.varint();
        break;
      case 7:
        p.bornTimestamp = decodeTimestamp(reader.message());
        break;
      case 8:
        p.bornHost = reader.string();
        break;
      case 11:
        p.deliveryTimestamp = decodeTimestamp(reader.message());
        break;
      case 12:
        p.receiptHandle = reader.string();
        break;
      case 14:
        p.offset = reader.varint();
        break;
      case 16:
        p.deliveryAttempt = reader.varint();
        break;
      case 17:
        p.messageGroup = reader.string();
        break;
      default:
        reader.skip();
    }
  }
  return p;
}

function decodeDigest(reader: ProtobufReader, into: SystemProperties): void {
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) into.digestType = reader.varint();
    else if (field === 2) into.digest = reader.string();
    else reader.skip();
  }
}

function decodeTimestamp(reader: ProtobufReader): Date {
  let seconds = 0;
  let nanos = 0;
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) seconds = reader.varint();
    else if (field === 2) nanos = reader.varint();
    else reader.skip();
  }
  return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
}

function decodeMapEntry(reader: ProtobufReader, into: Map<string, string>): void {
  let key = '';
  let value = '';
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) key = reader.string();
    else if (field === 2) value = reader.string();
    else reader.skip();
  }
  into.set(key, value);
}

function decodeResourceName(reader: ProtobufReader): string {
  let name = '';
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 2) name = reader.string();
    else reader.skip();
  }
  return name;
}

/** The producer's own end of a half message (source CLIENT): commit or roll back. */
export function encodeEndTransactionRequest(namespace: string, topic: string, messageId: string, transactionId: string, commit: boolean): Buffer {
  return new ProtobufWriter(96 + topic.length + messageId.length + transactionId.length)
    .message(1, resource(namespace, topic))
    .string(2, messageId)
    .string(3, transactionId)
    .uint32(4, commit ? RESOLUTION_COMMIT : RESOLUTION_ROLLBACK)
    .uint32(5, SOURCE_CLIENT)
    .finish();
}

export function decodeEndTransactionResponse(bytes: Buffer): Status {
  const reader = new ProtobufReader(bytes);
  let status: Status = { code: 0, message: '' };
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) status = decodeStatus(reader.message());
    else reader.skip();
  }
  return status;
}

export function encodeAckMessageRequest(namespace: string, group: string, topic: string, entries: readonly { messageId: string; receiptHandle: string }[]): Buffer {
  const writer = new ProtobufWriter(128 + entries.length * 160).message(1, resource(namespace, group)).message(2, resource(namespace, topic));
  for (const entry of entries) writer.message(3, (w) => w.string(1, entry.messageId).string(2, entry.receiptHandle));
  return writer.finish();
}

export function decodeAckMessageResponse(bytes: Buffer): { status: Status; entries: AckResult[] } {
  const reader = new ProtobufReader(bytes);
  let status: Status = { code: 0, message: '' };
  const entries: AckResult[] = [];
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) status = decodeStatus(reader.message());
    else if (field === 2) entries.push(decodeAckResult(reader.message()));
    else reader.skip();
  }
  return { status, entries };
}

function decodeAckResult(reader: ProtobufReader): AckResult {
  const result: AckResult = { messageId: '', status: { code: 0, message: '' } };
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) result.messageId = reader.string();
    else if (field === 3) result.status = decodeStatus(reader.message());
    else reader.skip();
  }
  return result;
}

export function encodeChangeInvisibleDurationRequest(namespace: string, group: string, message: RocketMQMessage, invisibleMs: number): Buffer {
  return new ProtobufWriter(256)
    .message(1, resource(namespace, group))
    .message(2, resource(namespace, message.topic))
    .string(3, message.receiptHandle)
    .message(4, duration(invisibleMs))
    .string(5, message.messageId)
    .finish();
}

export function decodeChangeInvisibleDurationResponse(bytes: Buffer): { status: Status; receiptHandle: string } {
  const reader = new ProtobufReader(bytes);
  let status: Status = { code: 0, message: '' };
  let receiptHandle = '';
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) status = decodeStatus(reader.message());
    else if (field === 2) receiptHandle = reader.string();
    else reader.skip();
  }
  return { status, receiptHandle };
}

function decodeStatus(reader: ProtobufReader): Status {
  const status: Status = { code: 0, message: '' };
  for (let field = reader.next(); field !== 0; field = reader.next()) {
    if (field === 1) status.code = reader.varint();
    else if (field === 2) status.message = reader.string();
    else reader.skip();
  }
  return status;
}
