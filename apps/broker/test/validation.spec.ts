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

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_PROPERTIES = 128;
const MAX_PROPERTY_BYTES = 16 * 1024;
const ONE_DAY_MS = 24 * 60 * 60 * 1000;
const MAX_INVISIBLE_MS = 12 * 60 * 60 * 1000;

const topology = new TestTopology();
const topics = {
  normal: topology.topic('NORMAL', 'validate-normal'),
  fifo: topology.topic('FIFO', 'validate-fifo'),
  delay: topology.topic('DELAY', 'validate-delay'),
};
const { clients } = useBroker(topology.toConfig());

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

  it('accepts a body of exactly 4 MiB', async () => {
    const producer = await producerFor(topics.normal);
    const receipt = await producer.send({ topic: topics.normal, body: Buffer.alloc(MAX_BODY_BYTES, 'a') });
    expect(receipt.messageId).toBeTruthy();
  });

  it('body over 4 MiB: PayloadTooLargeException MESSAGE_BODY_TOO_LARGE', async () => {
    const producer = await producerFor(topics.normal);
    const send = producer.send({ topic: topics.normal, body: Buffer.alloc(MAX_BODY_BYTES + 1, 'a') });
    await expectClientException(send, PayloadTooLargeException, Code.MESSAGE_BODY_TOO_LARGE);
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
