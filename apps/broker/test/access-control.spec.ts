import { ForbiddenException } from 'rocketmq-client-nodejs';
import { Code } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { expectClientException } from './support/errors';
import { useBroker } from './support/harness';
import { receiveCount } from './support/messaging';
import { TestTopology } from './support/names';
import { RawRpc, signedHeaders } from './support/raw-rpc';

const topology = new TestTopology();
const orders = topology.topic('NORMAL', 'acl-orders');
const payments = topology.topic('NORMAL', 'acl-payments');
const inventoryGroup = topology.group('acl-inventory');
const paymentsGroup = topology.group('acl-payments');

const USERS = {
  root: { accessKey: 'root-ak', secretKey: 'root-sk' },
  producer: { accessKey: 'producer-ak', secretKey: 'producer-sk', publish: ['acl-orders-*'] },
  consumer: { accessKey: 'consumer-ak', secretKey: 'consumer-sk', subscribe: [orders], groups: ['acl-inventory-*'] },
  payments: { accessKey: 'payments-ak', secretKey: 'payments-sk', subscribe: [payments], groups: [paymentsGroup] },
  ops: { accessKey: 'ops-ak', secretKey: 'ops-sk', admin: true },
};
type UserName = keyof typeof USERS;
const { root, ...limited } = USERS;
const harness = useBroker(topology.toConfig({ auth: { credentials: [root], users: Object.values(limited) } }));

const credentialsOf = (user: UserName) => ({ accessKey: USERS[user].accessKey, accessSecret: USERS[user].secretKey });

function message(topic: string) {
  return { topic: { name: topic }, systemProperties: { messageId: `ACL${Date.now()}${Math.random().toString(16).slice(2, 10)}`, bodyEncoding: 'IDENTITY', messageType: 'NORMAL', bornTimestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 }, bornHost: 'test' }, body: Buffer.from('x') };
}

/** Each request as the user sends it; answers the status code of the call (or its first entry). */
const CALLS = {
  route: (topic: string) => (rpc: RawRpc, headers: Record<string, string>) => rpc.unary('QueryRoute', { topic: { name: topic } }, headers).then((r) => r.status.code),
  send: (topic: string) => (rpc: RawRpc, headers: Record<string, string>) =>
    rpc.unary<{ entries: { status: { code: string } }[] }>('SendMessage', { messages: [message(topic)] }, headers).then((r) => r.entries[0].status.code),
  receive: (topic: string, group: string) => async (rpc: RawRpc, headers: Record<string, string>) => {
    const request = { group: { name: group }, messageQueue: { topic: { name: topic }, id: -1 }, filterExpression: { type: 'TAG', expression: '*' }, batchSize: 1, invisibleDuration: { seconds: 10, nanos: 0 }, autoRenew: false, longPollingTimeout: { seconds: 1, nanos: 0 } };
    const responses = (await rpc.receive(request, 8000, headers)) as { status?: { code: string } }[];
    const code = responses.find((response) => response.status)?.status?.code;
    // Whether messages were waiting depends on the other rows: either way the receive was let through.
    return code === 'OK' || code === 'MESSAGE_NOT_FOUND' ? 'RECEIVED' : code;
  },
  ack: (topic: string, group: string) => (rpc: RawRpc, headers: Record<string, string>) =>
    rpc.unary('AckMessage', { group: { name: group }, topic: { name: topic }, entries: [{ messageId: 'm', receiptHandle: `0.0.1.${'A'.repeat(22)}` }] }, headers).then((r) => r.status.code),
  subscribe: (topic: string, group: string) => (rpc: RawRpc, headers: Record<string, string>) =>
    rpc
      .settings({ clientType: 'SIMPLE_CONSUMER', subscription: { group: { name: group }, subscriptions: [{ topic: { name: topic }, expression: { type: 'TAG', expression: '*' } }] } }, headers)
      .then((r) => (r as { status: { code: string } }).status.code),
};

// Allowed acks of a made-up handle fail on the handle: they got past the ACL.
const TABLE: [UserName, string, (rpc: RawRpc, headers: Record<string, string>) => Promise<unknown>, string][] = [
  ['producer', 'routes its topic', CALLS.route(orders), 'OK'],
  ['producer', 'sends to its topic', CALLS.send(orders), 'OK'],
  ['producer', 'routes another topic', CALLS.route(payments), 'FORBIDDEN'],
  ['producer', 'sends to another topic', CALLS.send(payments), 'FORBIDDEN'],
  ['producer', 'receives from its own topic', CALLS.receive(orders, inventoryGroup), 'FORBIDDEN'],
  ['consumer', 'receives as its group', CALLS.receive(orders, inventoryGroup), 'RECEIVED'],
  ['consumer', 'subscribes as its group', CALLS.subscribe(orders, inventoryGroup), 'OK'],
  ['consumer', 'acks as its group', CALLS.ack(orders, inventoryGroup), 'INVALID_RECEIPT_HANDLE'],
  ['consumer', 'sends to the topic it reads', CALLS.send(orders), 'FORBIDDEN'],
  ['consumer', 'receives as another group', CALLS.receive(orders, paymentsGroup), 'FORBIDDEN'],
  ['consumer', 'subscribes as another group', CALLS.subscribe(orders, paymentsGroup), 'FORBIDDEN'],
  ['consumer', 'receives another topic', CALLS.receive(payments, inventoryGroup), 'FORBIDDEN'],
  ['payments', "acks the inventory group's messages", CALLS.ack(orders, inventoryGroup), 'FORBIDDEN'],
  ['payments', "reads the inventory group's dead letters", CALLS.receive(`%DLQ%${inventoryGroup}`, paymentsGroup), 'FORBIDDEN'],
  ['ops', 'sends (admin only)', CALLS.send(orders), 'FORBIDDEN'],
  ['root', 'sends anywhere (auth.credentials)', CALLS.send(payments), 'OK'],
  ['root', 'receives as any group', CALLS.receive(payments, inventoryGroup), 'RECEIVED'],
];

describe('access control per topic, group and action (auth.users)', () => {
  it.each(TABLE)('%s %s: %s', async (user, _, call, expected) => {
    const rpc = new RawRpc(harness.endpoint);
    try {
      expect(await call(rpc, signedHeaders(USERS[user].accessKey, USERS[user].secretKey))).toBe(expected);
    } finally {
      rpc.close();
    }
  });

  it('official clients work within their rights, and one declaring a topic it may not use fails with ForbiddenException', async () => {
    const producer = await harness.clients.producer({ topics: [orders], sessionCredentials: credentialsOf('producer') });
    const { messageId } = await producer.send({ topic: orders, body: Buffer.from('allowed') });
    const consumer = await harness.clients.simpleConsumer(inventoryGroup, { [orders]: '*' }, { sessionCredentials: credentialsOf('consumer') });
    expect((await receiveCount(consumer, 1, { timeoutMs: 15_000 }))[0].messageId).toBe(messageId);
    await expectClientException(harness.clients.producer({ topics: [payments], sessionCredentials: credentialsOf('producer') }), ForbiddenException, Code.FORBIDDEN);
  });

  it.each([
    ['producer', 403],
    ['consumer', 403],
    ['ops', 200],
    ['root', 200],
  ] as [UserName, number][])('admin API as %s: %i', async (user, status) => {
    const authorization = `Basic ${Buffer.from(`${USERS[user].accessKey}:${USERS[user].secretKey}`).toString('base64')}`;
    expect((await fetch(`${harness.adminUrl}/topics`, { headers: { authorization } })).status).toBe(status);
  });
});
