import { Logger } from '@nestjs/common';
import { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { AdminClient, BrokerProcess, waitFor, withFastTestSettings } from '@rocketmq-shop/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TriggerDefinitionSchema } from '../src/triggers/trigger-definition';
import { TriggerRunner } from '../src/triggers/trigger-runner';
import { FunctionServer } from './function-server';

const TOPICS = ['fc-batches', 'fc-failures', 'fc-timeouts', 'fc-slow', 'fc-fast'];
Logger.overrideLogger(process.env.TEST_LOG ? ['error', 'warn', 'log'] : false);

let broker: BrokerProcess;
let producer: ClientRocketMQ;
let fn: FunctionServer;
const runners: TriggerRunner[] = [];
const deadLettered: { messageId: string; reason: string }[] = [];

beforeAll(async () => {
  broker = await BrokerProcess.start(withFastTestSettings({ topics: TOPICS.map((name) => ({ name })) }));
  producer = new ClientRocketMQ({ endpoints: broker.endpoint, startupTimeoutMs: 10_000 });
  await producer.connect();
  fn = await FunctionServer.start();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  fn.behaviour = () => 200;
});

afterAll(async () => {
  await producer?.close();
  await fn?.close();
  await broker?.stop();
});

async function startTrigger(settings: Record<string, unknown>, url = fn.url): Promise<TriggerRunner> {
  const definition = TriggerDefinitionSchema.parse({ targetUrl: url, ...settings });
  const runner = new TriggerRunner(definition, { endpoints: broker.endpoint, startupTimeoutMs: 10_000 }, new Logger('trigger'), (event) => deadLettered.push(event));
  runners.push(runner);
  await runner.start();
  return runner;
}

describe('an HTTP push trigger against the broker', () => {
  it('POSTs batches of at most batchSize, in the function-event shape, and acknowledges them on 2xx', async () => {
    await startTrigger({ name: 'batches', topic: 'fc-batches', consumerGroup: 'fc-batches-g', batchSize: 5, batchWindowMs: 300 });
    const order = { eventType: 'OrderCreated', orderId: 'ORD-1', amount: 250 };
    const receipts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => producer.publishMessage('fc-batches', { ...order, n: i }, { tag: 'OrderCreated', keys: [`ORD-${i}`], properties: { region: 'eu' } })),
    );
    await waitFor(() => receipts.every((receipt) => fn.eventsOf(receipt.messageId).length > 0), { timeoutMs: 20_000, message: 'all 12 messages at the function' });
    expect(fn.batches.every((batch) => batch.length <= 5)).toBe(true);
    expect(fn.batches.length).toBeGreaterThanOrEqual(3);
    const [event] = fn.eventsOf(receipts[3].messageId);
    expect(event).toMatchObject({
      msgId: receipts[3].messageId,
      topic: 'fc-batches',
      systemProperties: { UNIQ_KEY: receipts[3].messageId, TAGS: 'OrderCreated', KEYS: 'ORD-3', CONSUMER_GROUP: 'fc-batches-g', RECONSUME_TIME: '0' },
      userProperties: { region: 'eu' },
      body: { ...order, n: 3 },
    });
    // Acknowledged (acks travel in batches, shortly after): nothing comes again.
    const admin = new AdminClient(broker);
    await waitFor(async () => (await admin.groupTopic('fc-batches-g', 'fc-batches')).acked === 12, { timeoutMs: 10_000, message: '12 acks' });
    expect(await admin.groupTopic('fc-batches-g', 'fc-batches')).toMatchObject({ backlog: 0, inflight: 0, retrying: 0 });
    expect(fn.batches.flat()).toHaveLength(12);
  });

  it('a function answering 500 gets the message again after the backoff, then it is dead-lettered with the answer as reason', async () => {
    fn.behaviour = () => 500;
    await startTrigger({ name: 'failures', topic: 'fc-failures', consumerGroup: 'fc-failures-g', retry: { maxAttempts: 3, backoffMs: [200] } });
    const { messageId } = await producer.publishMessage('fc-failures', { eventType: 'OrderCreated' });
    const dead = await waitFor(() => deadLettered.find((event) => event.messageId === messageId), { timeoutMs: 30_000, message: 'the dead-letter' });
    expect(dead.reason).toMatch(/answered 500: boom/);
    expect(fn.eventsOf(messageId).map((event) => event.systemProperties.RECONSUME_TIME)).toEqual(['0', '1', '2']);
    const dlq = await new AdminClient(broker).get<{ messageId: string }[]>('/groups/fc-failures-g/dlq');
    expect(dlq.body.map((entry) => entry.messageId)).toContain(messageId);
  });

  it('a call that times out counts as a failure: the message comes again and then succeeds', async () => {
    let calls = 0;
    fn.behaviour = () => (++calls === 1 ? 'hang' : 200);
    await startTrigger({ name: 'timeouts', topic: 'fc-timeouts', consumerGroup: 'fc-timeouts-g', timeoutMs: 500, retry: { maxAttempts: 3, backoffMs: [200] } });
    const { messageId } = await producer.publishMessage('fc-timeouts', { eventType: 'OrderCreated' });
    await waitFor(() => fn.eventsOf(messageId).length === 2, { timeoutMs: 30_000, message: 'the second delivery' });
    expect(fn.eventsOf(messageId).map((event) => event.systemProperties.RECONSUME_TIME)).toEqual(['0', '1']);
    expect(deadLettered.some((event) => event.messageId === messageId)).toBe(false);
  });

  it('a function that hangs holds back only its own trigger', async () => {
    const slow = await FunctionServer.start();
    slow.behaviour = () => 'hang';
    try {
      await startTrigger({ name: 'slow', topic: 'fc-slow', consumerGroup: 'fc-slow-g', timeoutMs: 60_000 }, slow.url);
      await startTrigger({ name: 'fast', topic: 'fc-fast', consumerGroup: 'fc-fast-g' });
      const stuck = await producer.publishMessage('fc-slow', { n: 1 });
      await waitFor(() => slow.eventsOf(stuck.messageId).length === 1, { timeoutMs: 20_000, message: 'the slow function called' });
      const quick = await producer.publishMessage('fc-fast', { n: 2 });
      await waitFor(() => fn.eventsOf(quick.messageId).length === 1, { timeoutMs: 20_000, message: 'the fast function called while the slow one hangs' });
      expect(slow.batches).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});
