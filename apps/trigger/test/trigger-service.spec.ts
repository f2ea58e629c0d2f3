import { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { BrokerProcess, ServiceProcess, waitFor, withFastTestSettings } from '@rocketmq-shop/testing';
import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOPIC = 'message-processing';
Logger.overrideLogger(process.env.TEST_LOG ? ['error', 'warn', 'log'] : false);
let broker: BrokerProcess;
let producer: ClientRocketMQ;
let service: ServiceProcess;
let workDir: string;
const lines: string[] = [];

beforeAll(async () => {
  broker = await BrokerProcess.start(withFastTestSettings({ topics: [{ name: TOPIC }] }));
  producer = new ClientRocketMQ({ endpoints: broker.endpoint, startupTimeoutMs: 10_000 });
  await producer.connect();
  workDir = mkdtempSync(join(tmpdir(), 'trigger-service-'));
  service = new ServiceProcess({ app: 'trigger' }, { ROCKETMQ_ENDPOINTS: broker.endpoint, TRIGGERS_FILE: join(workDir, 'triggers.json'), LOG_LEVEL: 'info' }, (line) => lines.push(line));
});

afterAll(async () => {
  await service?.stop();
  await producer?.close();
  await broker?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${service.url}${path}`, { method, headers: body === undefined ? undefined : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the trigger service', () => {
  it('runs a trigger added through its API: the function logs MESSAGE RECEIVED with the order as JSON, the trigger survives a restart and its settings change through the API', async () => {
    // An empty file to start from: the service reads it at start and writes triggers added later into it.
    writeFileSync(join(workDir, 'triggers.json'), '{"triggers":[]}');
    await service.start();
    const trigger = { name: 'order-events', topic: TOPIC, consumerGroup: 'fc-order-events', batchSize: 4, batchWindowMs: 200, targetUrl: `${service.url}/function` };
    const created = await call('POST', '/triggers', trigger);
    expect(created.status).toBe(201);
    expect(created.body.definition).toMatchObject({ ...trigger, filter: { tag: '*' }, timeoutMs: 10_000 });
    expect((await call('POST', '/triggers', trigger)).status).toBe(409);
    expect((await call('POST', '/triggers', { ...trigger, name: 'bad', batchSize: 64 })).status).toBe(400);

    const order = { eventType: 'OrderCreated', orderId: 'ORD-20260612-1001', customerId: 'CUS-10001', amount: 250, currency: 'USD' };
    const { messageId } = await producer.publishMessage(TOPIC, order, { tag: 'OrderCreated' });
    const received = await waitFor(async () => (await call('GET', '/function/received')).body.find((event: { msgId: string }) => event.msgId === messageId), {
      timeoutMs: 20_000,
      message: 'the order at the function',
    });
    expect(received).toMatchObject({ msgId: messageId, topic: TOPIC, systemProperties: { TAGS: 'OrderCreated' }, body: order });
    // The function logs a header line and then the body line; they may reach us in separate chunks.
    await waitFor(() => lines.some((line) => line.includes('===== MESSAGE RECEIVED =====')), { message: 'the MESSAGE RECEIVED log line' });
    await waitFor(() => lines.some((line) => line.includes('Message Body:') && line.includes(messageId)), { message: 'the Message Body log line naming the message' });
    await waitFor(async () => (await call('GET', '/triggers')).body[0]?.stats.delivered === 1, { message: 'the delivery counted' });

    expect(JSON.parse(readFileSync(join(workDir, 'triggers.json'), 'utf8')).triggers.map((t: { name: string }) => t.name)).toEqual(['order-events']);
    await service.stop();
    await service.start();
    expect((await call('GET', '/triggers')).body.map((state: { definition: { name: string } }) => state.definition.name)).toEqual(['order-events']);
    const changed = await call('PUT', '/triggers/order-events', { ...trigger, batchSize: 8, timeoutMs: 5_000 });
    expect(changed.status).toBe(200);
    expect(changed.body.definition).toMatchObject({ batchSize: 8, timeoutMs: 5_000 });
    expect(JSON.parse(readFileSync(join(workDir, 'triggers.json'), 'utf8')).triggers[0]).toMatchObject({ batchSize: 8, timeoutMs: 5_000 });
    expect((await call('PUT', '/triggers/order-events', { ...trigger, batchSize: 0 })).status).toBe(400);
    expect((await call('PUT', '/triggers/order-events', { ...trigger, name: 'other' })).status).toBe(400);
    expect((await call('PUT', '/triggers/no-such-trigger', { ...trigger, name: 'no-such-trigger' })).status).toBe(404);
    expect((await call('DELETE', '/triggers/order-events')).status).toBe(204);
    expect((await call('DELETE', '/triggers/order-events')).status).toBe(404);
    expect(JSON.parse(readFileSync(join(workDir, 'triggers.json'), 'utf8')).triggers).toEqual([]);
  });
});
