import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { receiveCount, receiveDuring, sendAll } from './support/messaging';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'stats');
const declared = topology.group('stats-declared', { maxAttempts: 3 });
const failing = topology.group('stats-failing', { maxAttempts: 1 });
const poisoned = topology.topic('NORMAL', 'stats-poisoned');
const { clients, admin } = useBroker(topology.toConfig());

interface Stats {
  at: number;
  topics: { name: string; type: string; queues: number; messages: number; in: number; out: number }[];
  groups: { name: string; fifo: boolean; maxAttempts: number; deadLetters: number; topics: { topic: string; backlog: number; inflight: number; out: number; acks: number }[] }[];
}

describe('GET /stats (what a console samples for rates)', () => {
  it('counts messages in and out per topic and deliveries and acks per group, with the backlog', async () => {
    const producer = await clients.producer({ topics: [topic] });
    await sendAll(producer, Array.from({ length: 6 }, (_, i) => ({ topic, body: Buffer.from(`s${i}`) })));
    const group = `${topic}-g`;
    const consumer = await clients.simpleConsumer(group, { [topic]: '*' });
    const received = await receiveCount(consumer, 6, { ack: false, invisibleMs: 30_000 });
    await Promise.all(received.slice(0, 4).map((message) => consumer.ack(message)));

    const stats = (await admin.get<Stats>('/stats')).body;
    expect(stats.at).toBeGreaterThan(Date.now() - 60_000);
    expect(stats.topics.find((entry) => entry.name === topic)).toMatchObject({ type: 'NORMAL', messages: 6, in: 6, out: 6 });
    expect(stats.groups.find((entry) => entry.name === group)?.topics).toEqual([expect.objectContaining({ topic, backlog: 2, inflight: 2, out: 6, acks: 4 })]);
  });

  it('lists a group the config declares before any consumer uses it', async () => {
    const stats = (await admin.get<Stats>('/stats')).body;
    expect(stats.groups.find((entry) => entry.name === declared)).toEqual({ name: declared, fifo: false, maxAttempts: 3, deadLetters: 0, topics: [] });
  });

  it('counts the dead letters of a group until they are replayed', async () => {
    const producer = await clients.producer({ topics: [poisoned] });
    const consumer = await clients.simpleConsumer(failing, { [poisoned]: '*' });
    await producer.send({ topic: poisoned, body: Buffer.from('poison') });
    const deadLetters = () => admin.get<Stats>('/stats').then(({ body }) => body.groups.find((entry) => entry.name === failing)?.deadLetters);
    // Never acknowledged: once its invisible time passes, the next receive dead-letters it (one attempt allowed).
    await waitFor(async () => (await receiveDuring(consumer, 200, { ack: false, invisibleMs: 1_000 }), (await deadLetters()) === 1), { timeoutMs: 20_000, message: 'one dead letter' });
    expect((await admin.post(`/groups/${failing}/dlq/replay`, {})).status).toBe(200);
    expect(await deadLetters()).toBe(0);
  });
});
