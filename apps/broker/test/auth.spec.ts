import { UnauthorizedException } from 'rocketmq-client-nodejs';
import { Code } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { expectClientException } from './support/errors';
import { useBroker } from './support/harness';
import { bodyText, receiveCount } from './support/messaging';
import { TestTopology } from './support/names';
import { RawRpc, dateTimeOf, signedHeaders } from './support/raw-rpc';

const CREDENTIALS = { accessKey: 'shop-ak', secretKey: 'shop-sk' };

const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'secured');
const harness = useBroker(topology.toConfig({ auth: { credentials: [CREDENTIALS] } }));
const { clients } = harness;

describe('AK/SK authentication (auth.credentials configured)', () => {
  it.each([
    ['no credentials', undefined],
    ['a wrong secret', { accessKey: CREDENTIALS.accessKey, accessSecret: 'not-the-secret' }],
    ['an unknown access key', { accessKey: 'someone-else', accessSecret: CREDENTIALS.secretKey }],
  ])('refuses a client with %s: UnauthorizedException UNAUTHORIZED', async (_, sessionCredentials) => {
    await expectClientException(clients.producer({ topics: [topic], sessionCredentials }), UnauthorizedException, Code.UNAUTHORIZED);
  });

  it('accepts clients signing with the configured access key and secret', async () => {
    const sessionCredentials = { accessKey: CREDENTIALS.accessKey, accessSecret: CREDENTIALS.secretKey };
    const producer = await clients.producer({ topics: [topic], sessionCredentials });
    const receipt = await producer.send({ topic, body: Buffer.from('signed') });
    const consumer = await clients.simpleConsumer(`${topic}-g`, { [topic]: '*' }, { sessionCredentials });
    const [message] = await receiveCount(consumer, 1, { timeoutMs: 10_000 });
    expect(message.messageId).toBe(receipt.messageId);
    expect(bodyText(message)).toBe('signed');
  });

  it.each([
    ['in the year 2000 (a header captured long ago)', '20000101T000000Z', 'UNAUTHORIZED'],
    ['20 minutes ago', dateTimeOf(Date.now() - 20 * 60_000), 'UNAUTHORIZED'],
    ['"x"', 'x', 'UNAUTHORIZED'],
    ['now', dateTimeOf(Date.now()), 'OK'],
  ])('a correct signature over a date-time %s: %s', async (_, dateTime, expected) => {
    const rpc = new RawRpc(harness.endpoint);
    try {
      expect((await rpc.unary('QueryRoute', { topic: { name: topic } }, signedHeaders(CREDENTIALS.accessKey, CREDENTIALS.secretKey, dateTime))).status.code).toBe(expected);
    } finally {
      rpc.close();
    }
  });
});
