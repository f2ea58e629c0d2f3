import {
  BadRequestException,
  NotFoundException,
  PayloadTooLargeException,
  RequestHeaderFieldsTooLargeException,
  UnsupportedException,
  type Producer,
} from 'rocketmq-client-nodejs';
import { Code } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { disableClientSideChecks } from './support/clients';
import { expectClientException } from './support/errors';
import { useBroker } from './support/harness';
import { TestTopology, uniqueName } from './support/names';
import { receiveCount } from './support/messaging';
import { RawRpc } from './support/raw-rpc';

/** 4 MiB less room for properties and system fields: every accepted message fits the Node client's 4 MiB per response. */
const MAX_BODY_BYTES = 4 * 1024 * 1024 - 32 * 1024;
const MAX_PROPERTIES = 128;
const MAX_PROPERTY_BYTES = 16 * 1024;
const ONE_DAY_MS = 24 * 60 * 60 * 1000;
const MAX_INVISIBLE_MS = 12 * 60 * 60 * 1000;

const topology = new TestTopology();
const topics = {
  normal: topology.topic('NORMAL', 'validate-normal'),
  largest: topology.topic('NORMAL', 'validate-largest'),
  fifo: topology.topic('FIFO', 'validate-fifo'),
  delay: topology.topic('DELAY', 'validate-delay'),
};
const harness = useBroker(topology.toConfig());
const { clients } = harness;

/** A producer that sends once and skips the client's own checks, so each case tests the broker. */
async function producerFor(topic: string): Promise<Producer> {
  const producer = await clients.producer({ topics: [topic], maxAttempts: 1 });
  disableClientSideChecks(producer);
  return producer;
}

function properties(count: number, valueBytes = 8): Map<string, string> {
  return new Map(Array.from({ length: count }, (_, i) => [`p${i}`, 'v'.repeat(valueBytes)]));
}

describe('the broker validates what clients send', () => {
  it('send to an unknown topic: NotFoundException TOPIC_NOT_FOUND', async () => {
    const producer = await clients.producer({ maxAttempts: 1 });
    const send = producer.send({ topic: uniqueName('missing'), body: Buffer.from('x') });
    await expectClientException(send, NotFoundException, Code.TOPIC_NOT_FOUND);
  });

  it('producer startup with an unknown topic fails with NotFoundException as the cause', async () => {
    await expectClientException(clients.producer({ topics: [uniqueName('missing')] }), NotFoundException, Code.TOPIC_NOT_FOUND);
  });

  it('consumer startup with an unknown topic fails with NotFoundException as the cause', async () => {
    const missing = uniqueName('missing');
    await expectClientException(clients.simpleConsumer(`${missing}-g`, { [missing]: '*' }), NotFoundException, Code.TOPIC_NOT_FOUND);
  });

  it.each(['bad.topic', 'colon:topic', 'x'.repeat(61)])('invalid topic name %s: BadRequestException ILLEGAL_TOPIC', async (name) => {
    const producer = await clients.producer({ maxAttempts: 1 });
    await expectClientException(producer.send({ topic: name, body: Buffer.from('x') }), BadRequestException, Code.ILLEGAL_TOPIC);
  });

  it('accepts the largest body with the largest properties, and the official client receives it', async () => {
    const producer = await producerFor(topics.largest);
    const largest = { topic: topics.largest, body: Buffer.alloc(MAX_BODY_BYTES, 'a'), tag: 't', keys: ['k'], properties: properties(1, MAX_PROPERTY_BYTES - 8) };
    const receipt = await producer.send(largest);
    const consumer = await clients.simpleConsumer(`${topics.largest}-g`, { [topics.largest]: '*' });
    const [message] = await receiveCount(consumer, 1, { timeoutMs: 15_000 });
    expect(message.messageId).toBe(receipt.messageId);
    expect(message.body.length).toBe(MAX_BODY_BYTES);
  });

  it.each([
    ['one byte over the limit', MAX_BODY_BYTES + 1],
    ['4 MiB (which the Node client could not receive)', 4 * 1024 * 1024],
  ])('body %s: PayloadTooLargeException MESSAGE_BODY_TOO_LARGE', async (_, size) => {
    const producer = await producerFor(topics.normal);
    const send = producer.send({ topic: topics.normal, body: Buffer.alloc(size, 'a') });
    await expectClientException(send, PayloadTooLargeException, Code.MESSAGE_BODY_TOO_LARGE);
  });

  it.each([
    ['a 129-character message id', 'ILLEGAL_MESSAGE_ID', { messageId: 'M'.repeat(129) }],
    ['an 8 MiB message id', 'ILLEGAL_MESSAGE_ID', { messageId: 'M'.repeat(8 * 1024 * 1024) }],
    ['a 256-character born host', 'BAD_REQUEST', { bornHost: 'h'.repeat(256) }],
    ['an 8 MiB born host', 'BAD_REQUEST', { bornHost: 'h'.repeat(8 * 1024 * 1024) }],
    ['a 2049-character trace context', 'BAD_REQUEST', { traceContext: 't'.repeat(2049) }],
    ['the largest fields', 'OK', { messageId: 'M'.repeat(128), bornHost: 'h'.repeat(255), traceContext: 't'.repeat(2048) }],
  ] as [string, string, object][])('SendMessage with %s: %s', async (_, expected, fields) => {
    const rpc = new RawRpc(harness.endpoint);
    try {
      const systemProperties = { messageId: 'M'.repeat(32), bodyEncoding: 'IDENTITY', messageType: 'NORMAL', bornTimestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 }, bornHost: 'h', ...fields };
      const answer = await rpc.unary<{ entries: { status: { code: string } }[] }>('SendMessage', { messages: [{ topic: { name: topics.normal }, systemProperties, body: Buffer.from('x') }] });
      expect(answer.entries[0].status.code).toBe(expected);
    } finally {
      rpc.close();
    }
  });

  it('empty body: MESSAGE_BODY_EMPTY (the client maps it to UnsupportedException)', async () => {
    const producer = await producerFor(topics.normal);
    await expectClientException(producer.send({ topic: topics.normal, body: Buffer.alloc(0) }), UnsupportedException, Code.MESSAGE_BODY_EMPTY);
  });

  it(`accepts ${MAX_PROPERTIES} user properties`, async () => {
    const producer = await producerFor(topics.normal);
    const receipt = await producer.send({ topic: topics.normal, body: Buffer.from('x'), properties: properties(MAX_PROPERTIES) });
    expect(receipt.messageId).toBeTruthy();
  });

  it.each([
    [`${MAX_PROPERTIES + 1} user properties`, properties(MAX_PROPERTIES + 1)],
    ['user properties over 16 KiB', properties(1, MAX_PROPERTY_BYTES + 1)],
  ])('%s: RequestHeaderFieldsTooLargeException MESSAGE_PROPERTIES_TOO_LARGE', async (_, tooMany) => {
    const producer = await producerFor(topics.normal);
    const send = producer.send({ topic: topics.normal, body: Buffer.from('x'), properties: tooMany });
    await expectClientException(send, RequestHeaderFieldsTooLargeException, Code.MESSAGE_PROPERTIES_TOO_LARGE);
  });

  it('tag "a|b": BadRequestException ILLEGAL_MESSAGE_TAG', async () => {
    const producer = await producerFor(topics.normal);
    await expectClientException(producer.send({ topic: topics.normal, body: Buffer.from('x'), tag: 'a|b' }), BadRequestException, Code.ILLEGAL_MESSAGE_TAG);
  });

  it('accepts a 63-byte message group, refuses a 64-byte one with ILLEGAL_MESSAGE_GROUP', async () => {
    const producer = await producerFor(topics.fifo);
    const accepted = await producer.send({ topic: topics.fifo, body: Buffer.from('x'), messageGroup: 'g'.repeat(63) });
    expect(accepted.messageId).toBeTruthy();
    const send = producer.send({ topic: topics.fifo, body: Buffer.from('x'), messageGroup: 'g'.repeat(64) });
    await expectClientException(send, BadRequestException, Code.ILLEGAL_MESSAGE_GROUP);
  });

  it('delivery more than one day ahead: BadRequestException ILLEGAL_DELIVERY_TIME', async () => {
    const producer = await producerFor(topics.delay);
    const send = producer.send({ topic: topics.delay, body: Buffer.from('x'), deliveryTimestamp: new Date(Date.now() + ONE_DAY_MS + 60_000) });
    await expectClientException(send, BadRequestException, Code.ILLEGAL_DELIVERY_TIME);
  });

  it('FIFO message to a NORMAL topic: BadRequestException MESSAGE_PROPERTY_CONFLICT_WITH_TYPE', async () => {
    const producer = await producerFor(topics.normal);
    const send = producer.send({ topic: topics.normal, body: Buffer.from('x'), messageGroup: 'g1' });
    await expectClientException(send, BadRequestException, Code.MESSAGE_PROPERTY_CONFLICT_WITH_TYPE);
  });

  it.each([
    ['below consumer.minInvisibleMs', 500],
    ['above consumer.maxInvisibleMs (12 h)', MAX_INVISIBLE_MS + 1000],
  ])('receive with an invisible duration %s: BadRequestException ILLEGAL_INVISIBLE_TIME', async (_, invisibleMs) => {
    const consumer = await clients.simpleConsumer(uniqueName('bad-invisible'), { [topics.normal]: '*' });
    await expectClientException(consumer.receive(1, invisibleMs), BadRequestException, Code.ILLEGAL_INVISIBLE_TIME);
  });

  it('invalid consumer group name: BadRequestException ILLEGAL_CONSUMER_GROUP', async () => {
    const subscribeAndReceive = async () => {
      const consumer = await clients.simpleConsumer('bad.group:name', { [topics.normal]: '*' });
      await consumer.receive(1, 10_000);
    };
    await expectClientException(subscribeAndReceive(), BadRequestException, Code.ILLEGAL_CONSUMER_GROUP);
  });
});
