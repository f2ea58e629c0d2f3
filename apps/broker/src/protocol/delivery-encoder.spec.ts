import { describe, expect, it } from 'vitest';
import { encodeDelivery } from './delivery-encoder';
import { FRAME_HEADER_BYTES } from './grpc/framing';
import type { EncodableMessage } from './message-codec';
import { loadMessagingService } from './proto';

const service = loadMessagingService();
/** The message of a whole gRPC frame, whose header must give its length. */
function decode(frame: Buffer): { message: Record<string, unknown> } {
  expect(frame[0]).toBe(0);
  expect(frame.readUInt32BE(1)).toBe(frame.length - FRAME_HEADER_BYTES);
  return service.ReceiveMessage.responseDeserialize(frame.subarray(FRAME_HEADER_BYTES)) as { message: Record<string, unknown> };
}

const base: EncodableMessage = {
  topic: 'orders',
  messageId: '0102FC0000000110840B1F06FE00000CFE',
  type: 'NORMAL',
  keys: [],
  properties: {},
  bornAt: 1_800_000_000_123,
  bornHost: 'host-1',
  gzip: false,
  body: Buffer.from('{"id":1}'),
  digest: 'ABCDEF0123456789ABCDEF0123456789',
  storedAt: 1_800_000_000_456,
  queueId: 3,
  offset: 12_345_678_901,
};
const delivery = { receiptHandle: '3.12345.1.b3JkZXJz', attempt: 2, invisibleMs: 30_250, storeHost: '127.0.0.1:8081' };

describe('encodeDelivery', () => {
  it('writes every field the official client reads, as the .proto files decode them', () => {
    const { message } = decode(encodeDelivery({ ...base, tag: 'created', keys: ['k1', 'k2'], properties: { traceparent: '00-1-2-01', empty: '' }, traceContext: 'tc' }, delivery));
    // toMatchObject: the decoder adds synthetic oneof names (_tag, …) for proto3 optional fields.
    expect(message).toMatchObject({
      topic: { name: 'orders' },
      userProperties: { traceparent: '00-1-2-01', empty: '' },
      systemProperties: {
        tag: 'created',
        keys: ['k1', 'k2'],
        messageId: base.messageId,
        bodyDigest: { type: 'MD5', checksum: base.digest },
        bodyEncoding: 'IDENTITY',
        messageType: 'NORMAL',
        bornTimestamp: { seconds: 1_800_000_000, nanos: 123_000_000 },
        bornHost: 'host-1',
        storeTimestamp: { seconds: 1_800_000_000, nanos: 456_000_000 },
        storeHost: '127.0.0.1:8081',
        receiptHandle: delivery.receiptHandle,
        queueId: 3,
        queueOffset: 12_345_678_901,
        invisibleDuration: { seconds: 30, nanos: 250_000_000 },
        deliveryAttempt: 2,
        traceContext: 'tc',
      },
      body: base.body,
    });
  });

  it('sizes multi-byte text and large numbers exactly', () => {
    const { message } = decode(encodeDelivery({ ...base, tag: 'größe-✓', properties: { 'ключ': 'значение 🚀' }, keys: ['ü'], offset: 2 ** 52 }, { ...delivery, attempt: 300 }));
    expect(message.userProperties).toEqual({ 'ключ': 'значение 🚀' });
    expect(message.systemProperties).toMatchObject({ tag: 'größe-✓', keys: ['ü'], queueOffset: 2 ** 52, deliveryAttempt: 300 });
  });

  it('carries FIFO groups, transaction ids, delivery times, GZIP bodies and dead-letter origins', () => {
    const { message } = decode(
      encodeDelivery(
        { ...base, type: 'FIFO', messageGroup: 'user-7', transactionId: 'T1', deliverAt: 1_800_000_005_000, gzip: true, queueId: 0, deadLetterOf: { topic: 'src', messageId: 'M0', queueId: 1, offset: 2 } },
        delivery,
      ),
    );
    const system = message.systemProperties as Record<string, unknown>;
    expect(message.userProperties).toEqual({ __SHARDINGKEY: 'user-7', __transactionId__: 'T1' });
    expect(system).toMatchObject({
      messageType: 'FIFO',
      messageGroup: 'user-7',
      bodyEncoding: 'GZIP',
      deliveryTimestamp: { seconds: 1_800_000_005 },
      deadLetterQueue: { topic: 'src', messageId: 'M0' },
    });
    expect(system.queueId).toBeUndefined(); // 0 is proto3's default
  });
});
