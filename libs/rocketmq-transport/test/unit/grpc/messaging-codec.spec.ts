import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { Digest, DigestType, Encoding, Message, Resource, Status, SystemProperties } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import {
  AckMessageRequest,
  AckMessageResponse,
  AckMessageResultEntry,
  ChangeInvisibleDurationRequest,
  EndTransactionRequest,
  EndTransactionResponse,
  ReceiveMessageRequest,
  ReceiveMessageResponse,
  SendMessageRequest,
  SendMessageResponse,
  SendResultEntry,
} from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb';
import { describe, expect, it } from 'vitest';
import {
  MessageType,
  type RocketMQMessage,
  decodeAckMessageResponse,
  decodeEndTransactionResponse,
  decodeReceiveMessageResponse,
  decodeSendMessageResponse,
  encodeAckMessageRequest,
  encodeChangeInvisibleDurationRequest,
  encodeEndTransactionRequest,
  encodeReceiveMessageRequest,
  encodeSendMessageRequest,
} from '../../../src/grpc/messaging-codec';

// The official client's generated classes (google-protobuf) are the reference for every byte.

const status = (code: number, message = '') => new Status().setCode(code).setMessage(message);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex').toUpperCase();

describe('SendMessageRequest', () => {
  it('carries every message with its topic, properties, system properties and body', () => {
    const large = Buffer.alloc(70_000, 7); // lengths above 2^14 need three varint bytes
    const bytes = encodeSendMessageRequest(
      [
        { topic: 'orders', messageId: 'ID-1', messageType: MessageType.NORMAL, body: Buffer.from('{"a":1}'), tag: 'CREATED', keys: ['k1', 'k2'], properties: { 'content-type': 'application/json', traceparent: '00-ab' } },
        { topic: 'orders', messageId: 'ID-2', messageType: MessageType.DELAY, body: large, deliveryTimestampMs: 1_800_000_000_123, properties: {} },
      ],
      'ns',
      3,
      'host-a',
    );
    const [first, second] = SendMessageRequest.deserializeBinary(bytes).getMessagesList();
    expect(first.getTopic()?.toObject()).toEqual({ resourceNamespace: 'ns', name: 'orders' });
    expect(Object.fromEntries(first.getUserPropertiesMap().entries())).toEqual({ 'content-type': 'application/json', traceparent: '00-ab' });
    expect(Buffer.from(first.getBody_asU8()).toString()).toBe('{"a":1}');
    const system = first.getSystemProperties() as SystemProperties;
    expect([system.getMessageId(), system.getTag(), system.getKeysList(), system.getMessageType(), system.getQueueId(), system.getBornHost()]).toEqual(['ID-1', 'CREATED', ['k1', 'k2'], 1, 3, 'host-a']);
    expect(system.getBodyEncoding()).toBe(Encoding.IDENTITY);
    expect(Math.abs((system.getBornTimestamp()?.toDate().getTime() ?? 0) - Date.now())).toBeLessThan(5000);
    expect(Buffer.from(second.getBody_asU8()).equals(large)).toBe(true);
    expect(second.getSystemProperties()?.getMessageType()).toBe(MessageType.DELAY);
    expect(second.getSystemProperties()?.getDeliveryTimestamp()?.toDate().getTime()).toBe(1_800_000_000_123);
  });
});

describe('SendMessageResponse', () => {
  it('gives each entry its own status, message id, transaction id and offset', () => {
    const response = new SendMessageResponse().setStatus(status(30000, 'entries differ'));
    response.addEntries(new SendResultEntry().setStatus(status(20000, 'OK')).setMessageId('ID-1').setTransactionId('T').setOffset(2 ** 40).setRecallHandle('R'));
    response.addEntries(new SendResultEntry().setStatus(status(43101, 'properties too large')).setMessageId('ID-2'));
    expect(decodeSendMessageResponse(Buffer.from(response.serializeBinary()))).toEqual({
      status: { code: 30000, message: 'entries differ' },
      entries: [
        { status: { code: 20000, message: 'OK' }, messageId: 'ID-1', transactionId: 'T', offset: 2 ** 40, recallHandle: 'R' },
        { status: { code: 43101, message: 'properties too large' }, messageId: 'ID-2', transactionId: '', offset: 0, recallHandle: '' },
      ],
    });
  });
});

describe('EndTransaction', () => {
  it('commits or rolls back a half message by topic, message id and transaction id, as its producer', () => {
    const commit = EndTransactionRequest.deserializeBinary(encodeEndTransactionRequest('ns', 'orders', 'ID-1', 'T-1', true)).toObject();
    expect(commit).toEqual({ topic: { resourceNamespace: 'ns', name: 'orders' }, messageId: 'ID-1', transactionId: 'T-1', resolution: 1, source: 1, traceContext: '' });
    expect(EndTransactionRequest.deserializeBinary(encodeEndTransactionRequest('', 'orders', 'ID-2', 'T-2', false)).getResolution()).toBe(2);
    expect(decodeEndTransactionResponse(Buffer.from(new EndTransactionResponse().setStatus(status(40008, 'already resolved')).serializeBinary()))).toEqual({ code: 40008, message: 'already resolved' });
  });
});

describe('ReceiveMessageRequest', () => {
  it('names the group and queue with the namespace, the filter, batch size and durations', () => {
    const queue = { topic: 'orders', id: 2, permission: 4, broker: { name: 'b', id: 0, endpoints: { scheme: 1, addresses: [{ host: '127.0.0.1', port: 8081 }] } }, acceptMessageTypes: [1, 3] };
    const bytes = encodeReceiveMessageRequest({ namespace: 'ns', group: 'g', messageQueue: queue, filter: { sql: "a = 'x'" }, batchSize: 32, invisibleMs: 30_500, longPollingMs: 5000 });
    const request = ReceiveMessageRequest.deserializeBinary(bytes).toObject();
    expect(request.group).toEqual({ resourceNamespace: 'ns', name: 'g' });
    expect(request.messageQueue).toEqual({
      topic: { resourceNamespace: 'ns', name: 'orders' },
      id: 2,
      permission: 4,
      broker: { name: 'b', id: 0, endpoints: { scheme: 1, addressesList: [{ host: '127.0.0.1', port: 8081 }] } },
      acceptMessageTypesList: [1, 3],
    });
    expect(request.filterExpression).toEqual({ type: 2, expression: "a = 'x'" });
    expect([request.batchSize, request.invisibleDuration, request.longPollingTimeout, request.autoRenew]).toEqual([32, { seconds: 30, nanos: 500_000_000 }, { seconds: 5, nanos: 0 }, false]);
  });
});

describe('ReceiveMessageResponse', () => {
  const delivered = (body: Buffer, configure: (system: SystemProperties) => void = () => undefined) => {
    const system = new SystemProperties()
      .setMessageId('ID-9')
      .setTag('PAID')
      .setKeysList(['order-1'])
      .setMessageGroup('user-7')
      .setBodyDigest(new Digest().setType(DigestType.MD5).setChecksum(md5(body)))
      .setBodyEncoding(Encoding.IDENTITY)
      .setBornHost('producer-host')
      .setBornTimestamp(Timestamp.fromDate(new Date(1_700_000_000_000)))
      .setReceiptHandle('handle-1')
      .setQueueOffset(42)
      .setDeliveryAttempt(3);
    configure(system);
    const message = new Message().setTopic(new Resource().setName('orders')).setBody(body).setSystemProperties(system);
    message.getUserPropertiesMap().set('content-type', 'application/json');
    return Buffer.from(new ReceiveMessageResponse().setMessage(message).serializeBinary());
  };

  it('reads every field a handler sees, and where the message came from', () => {
    const { message } = decodeReceiveMessageResponse(delivered(Buffer.from('{"x":1}')), '127.0.0.1:8081');
    expect(message).toEqual<RocketMQMessage>({
      messageId: 'ID-9',
      topic: 'orders',
      body: Buffer.from('{"x":1}'),
      tag: 'PAID',
      keys: ['order-1'],
      messageGroup: 'user-7',
      properties: new Map([['content-type', 'application/json']]),
      bornHost: 'producer-host',
      bornTimestamp: new Date(1_700_000_000_000),
      deliveryTimestamp: undefined,
      deliveryAttempt: 3,
      offset: 42,
      corrupted: false,
      receiptHandle: 'handle-1',
      endpoint: '127.0.0.1:8081',
    });
  });

  it('flags a body that does not match its digest, and inflates gzip bodies', () => {
    const corrupted = delivered(Buffer.from('abc'), (system) => system.setBodyDigest(new Digest().setType(DigestType.MD5).setChecksum(md5(Buffer.from('abd')))));
    expect(decodeReceiveMessageResponse(corrupted, 'e').message?.corrupted).toBe(true);
    const zipped = gzipSync(Buffer.from('inflated'));
    const gzip = delivered(zipped, (system) => system.setBodyEncoding(Encoding.GZIP));
    expect(decodeReceiveMessageResponse(gzip, 'e').message?.body.toString()).toBe('inflated');
  });

  it('reads the status of the stream', () => {
    const bytes = Buffer.from(new ReceiveMessageResponse().setStatus(status(40401, 'no new message')).serializeBinary());
    expect(decodeReceiveMessageResponse(bytes, 'e')).toEqual({ status: { code: 40401, message: 'no new message' } });
  });
});

describe('AckMessage', () => {
  it('acknowledges many entries in one request and reads a result per entry', () => {
    const bytes = encodeAckMessageRequest('ns', 'g', 'orders', [
      { messageId: 'ID-1', receiptHandle: 'h1' },
      { messageId: 'ID-2', receiptHandle: 'h2' },
    ]);
    const request = AckMessageRequest.deserializeBinary(bytes).toObject();
    expect(request.group).toEqual({ resourceNamespace: 'ns', name: 'g' });
    expect(request.topic).toEqual({ resourceNamespace: 'ns', name: 'orders' });
    expect(request.entriesList.map((e) => [e.messageId, e.receiptHandle])).toEqual([
      ['ID-1', 'h1'],
      ['ID-2', 'h2'],
    ]);
    const response = new AckMessageResponse().setStatus(status(30000));
    response.addEntries(new AckMessageResultEntry().setMessageId('ID-1').setReceiptHandle('h1').setStatus(status(20000)));
    response.addEntries(new AckMessageResultEntry().setMessageId('ID-2').setReceiptHandle('h2').setStatus(status(40013, 'stale')));
    expect(decodeAckMessageResponse(Buffer.from(response.serializeBinary())).entries).toEqual([
      { messageId: 'ID-1', status: { code: 20000, message: '' } },
      { messageId: 'ID-2', status: { code: 40013, message: 'stale' } },
    ]);
  });
});

describe('ChangeInvisibleDurationRequest', () => {
  it('names the message by receipt handle and id', () => {
    const message = { topic: 'orders', messageId: 'ID-3', receiptHandle: 'h3' } as RocketMQMessage;
    const request = ChangeInvisibleDurationRequest.deserializeBinary(encodeChangeInvisibleDurationRequest('', 'g', message, 0)).toObject();
    expect([request.group?.name, request.topic?.name, request.receiptHandle, request.messageId, request.invisibleDuration]).toEqual(['g', 'orders', 'h3', 'ID-3', { seconds: 0, nanos: 0 }]);
  });
});
