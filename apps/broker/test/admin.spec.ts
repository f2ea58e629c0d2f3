import { NotFoundException } from 'rocketmq-client-nodejs';
import { Code } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { expectClientException } from './support/errors';
import { useBroker } from './support/harness';
import { receiveCount, sendAll } from './support/messaging';
import { TestTopology, uniqueName } from './support/names';
import { waitFor } from '@rocketmq-shop/testing';

const topology = new TestTopology();
const topics = {
  backlog: topology.topic('NORMAL', 'admin-backlog'),
  lookup: topology.topic('NORMAL', 'admin-lookup'),
  metrics: topology.topic('NORMAL', 'admin-metrics'),
};
const { clients, admin } = useBroker(topology.toConfig());

interface TopicView {
  name: string;
  type: string;
  queues: { id: number; minOffset: number; maxOffset: number }[];
}

describe('admin HTTP API', () => {
  it('GET /health answers ok', async () => {
    const health = await admin.get('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('creates a topic a producer can send to, lists it, refuses bad input, and deletes it', async () => {
    const name = uniqueName('created');
    const created = await admin.post<TopicView>('/topics', { name, queues: 4, type: 'NORMAL' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, type: 'NORMAL' });

    const listed = await admin.get<{ name: string; type: string; queues: number }[]>('/topics');
    expect(listed.body.find((topic) => topic.name === name)).toMatchObject({ type: 'NORMAL', queues: 4 });
    const detail = await admin.get<TopicView>(`/topics/${name}`);
    expect(detail.body.queues.map((queue) => queue.id)).toEqual([0, 1, 2, 3]);

    const producer = await clients.producer({ topics: [name] });
    const receipt = await producer.send({ topic: name, body: Buffer.from('to a new topic') });
    expect(receipt.messageId).toBeTruthy();

    expect((await admin.post('/topics', { name: 'bad.name', type: 'NORMAL' })).status).toBe(400);
    expect((await admin.post('/topics', { name: uniqueName('badtype'), type: 'SOMETIMES' })).status).toBe(400);
    expect((await admin.post('/topics', { name, type: 'FIFO' })).status).toBe(409);

    expect((await admin.delete(`/topics/${name}`)).status).toBe(204);
    expect((await admin.get(`/topics/${name}`)).status).toBe(404);
    const lateProducer = await clients.producer({ maxAttempts: 1 });
    await expectClientException(lateProducer.send({ topic: name, body: Buffer.from('gone') }), NotFoundException, Code.TOPIC_NOT_FOUND);
  });

  it('GET /groups/:name counts backlog and in-flight messages, and the backlog reaches 0 after the acks', async () => {
    const producer = await clients.producer({ topics: [topics.backlog] });
    await sendAll(producer, Array.from({ length: 10 }, (_, i) => ({ topic: topics.backlog, body: Buffer.from(`b${i}`) })));
    const group = `${topics.backlog}-g`;
    const consumer = await clients.simpleConsumer(group, { [topics.backlog]: '*' });
    const received = await receiveCount(consumer, 10, { ack: false, invisibleMs: 30_000 });

    expect(await admin.groupTopic(group, topics.backlog)).toMatchObject({ backlog: 10, inflight: 10, acked: 0 });
    await consumer.ack(received[0]);
    expect(await admin.groupTopic(group, topics.backlog)).toMatchObject({ backlog: 9, inflight: 9, acked: 1 });
    await Promise.all(received.slice(1).map((message) => consumer.ack(message)));
    const drained = await waitFor(async () => {
      const state = await admin.groupTopic(group, topics.backlog);
      return state.backlog === 0 && state;
    }, { message: `backlog of ${group} to reach 0` });
    expect(drained).toMatchObject({ backlog: 0, inflight: 0, retrying: 0, acked: 10 });
    expect((await admin.get(`/groups/${uniqueName('never-used')}`)).status).toBe(404);
  });

  it('PUT /groups/:name creates or reconfigures a group, shown by GET /groups and GET /groups/:name', async () => {
    const name = uniqueName('configured');
    const put = await admin.put<Record<string, unknown>>(`/groups/${name}`, { fifo: true, maxAttempts: 5, consumeFrom: 'last' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ fifo: true, maxAttempts: 5, consumeFrom: 'last' });
    expect((await admin.group(name)).config).toMatchObject({ fifo: true, maxAttempts: 5, consumeFrom: 'last' });

    await admin.put(`/groups/${name}`, { maxAttempts: 2 });
    expect((await admin.group(name)).config).toMatchObject({ fifo: true, maxAttempts: 2 });
    const groups = await admin.get<{ name: string; maxAttempts: number }[]>('/groups');
    expect(groups.body.find((group) => group.name === name)).toMatchObject({ maxAttempts: 2 });
  });

  it('GET /messages/:id and GET /messages?topic&key find a message with its properties and body', async () => {
    const producer = await clients.producer({ topics: [topics.lookup] });
    const key = uniqueName('order');
    const { messageId } = await producer.send({
      topic: topics.lookup,
      body: Buffer.from('find me'),
      keys: [key],
      properties: new Map([['region', 'eu-west']]),
    });

    const found = await admin.get<Record<string, unknown>>(`/messages/${messageId}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ messageId, topic: topics.lookup });
    expect(found.text).toContain('find me');
    expect(found.text).toContain(Buffer.from('find me').toString('base64'));
    expect(found.text).toContain('eu-west');
    expect((await admin.get('/messages/0000000000000000000000000000000000')).status).toBe(404);

    const byKey = await admin.get<{ messageId: string }[]>(`/messages?topic=${topics.lookup}&key=${key}`);
    expect(byKey.status).toBe(200);
    expect(byKey.body.map((message) => message.messageId)).toEqual([messageId]);
  });

  it('GET /metrics serves Prometheus text with the broker metrics, counting our sends', async () => {
    const producer = await clients.producer({ topics: [topics.metrics] });
    await sendAll(producer, Array.from({ length: 3 }, (_, i) => ({ topic: topics.metrics, body: Buffer.from(`m${i}`) })));
    const consumer = await clients.simpleConsumer(`${topics.metrics}-g`, { [topics.metrics]: '*' });
    await receiveCount(consumer, 3);

    const metrics = await admin.get<string>('/metrics');
    expect(metrics.status).toBe(200);
    for (const name of [
      'rocketmq_messages_in_total',
      'rocketmq_messages_out_total',
      'rocketmq_acks_total',
      'rocketmq_dead_lettered_total',
      'rocketmq_consumer_lag_messages',
      'rocketmq_send_latency_seconds',
    ]) {
      expect(metrics.text).toContain(`# TYPE ${name}`);
    }
    const sentSample = metrics.text.split('\n').find((line) => line.startsWith('rocketmq_messages_in_total{') && line.includes(`topic="${topics.metrics}"`));
    expect(Number(sentSample?.split(' ').pop())).toBe(3);
  });
});
