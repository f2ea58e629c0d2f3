import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { bodyText, receiveCount, receiveDuring } from './support/messaging';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'trail');
const fifoTopic = topology.topic('FIFO', 'trail-fifo');
const delayTopic = topology.topic('DELAY', 'trail-delay');
const tracedTopic = topology.topic('NORMAL', 'trail-traced');
const failing = topology.group('trail-failing', { maxAttempts: 1 });
const { clients, admin } = useBroker(topology.toConfig());

interface Sent {
  messageId: string;
  queueId: number;
  offset: number;
}

interface History {
  message: { messageId: string; tag?: string; keys: string[]; bodyText: string; properties: Record<string, string> };
  sentAt: number;
  traceId?: string;
  groups: { group: string; state: string; attempts: number; events: { event: string; attempt: number; at: number; reason?: string }[] }[];
}

const send = (name: string, body: unknown) => admin.post<Sent & { error?: string }>(`/topics/${name}/messages`, body);

describe('POST /topics/:name/messages (a test message from the admin API)', () => {
  it('goes through the produce path: a consumer receives it with its tag, keys and properties', async () => {
    const consumer = await clients.simpleConsumer(`${topic}-reader`, { [topic]: 'console' });
    const sent = await send(topic, { body: '{"hello":"console"}', tag: 'console', keys: ['k-1'], properties: { origin: 'test' } });
    expect(sent.status).toBe(201);
    expect(sent.body.messageId).toMatch(/^[0-9A-F]{32}$/);
    const [received] = await receiveCount(consumer, 1);
    expect([received.messageId, bodyText(received), received.tag, received.keys, received.properties.get('origin')]).toEqual([sent.body.messageId, '{"hello":"console"}', 'console', ['k-1'], 'test']);
  });

  it('sends FIFO messages with a message group and delays DELAY messages', async () => {
    expect((await send(fifoTopic, { body: 'in order', messageType: 'FIFO', messageGroup: 'user-1' })).status).toBe(201);
    const delayed = await send(delayTopic, { body: 'later', messageType: 'DELAY', delaySeconds: 3600 });
    expect(delayed.status).toBe(201);
    // Staged until its delivery time: not in a queue yet.
    expect((await admin.get(`/messages/${delayed.body.messageId}`)).status).toBe(404);
  });

  it.each([
    ['no body', {}, /body must be a string/],
    ['an unknown field', { body: 'x', colour: 'red' }, /unknown fields: colour/],
    ['an empty body', { body: '' }, /empty/],
    ['a tag with |', { body: 'x', tag: 'a|b' }, /tag/],
    ['keys that are not strings', { body: 'x', keys: [1] }, /keys must be an array of strings/],
    ['a transactional message', { body: 'x', messageType: 'TRANSACTION' }, /messageType must be NORMAL, FIFO or DELAY/],
    ['FIFO without a message group', { body: 'x', messageType: 'FIFO' }, /conflicts/],
    ['a FIFO message on a NORMAL topic', { body: 'x', messageType: 'FIFO', messageGroup: 'g' }, /does not match topic/],
    ['a delay beyond one day', { body: 'x', messageType: 'DELAY', delaySeconds: 86_401 }, /delaySeconds/],
    ['a reserved property', { body: 'x', properties: { KEYS: 'x' } }, /reserved/],
  ])('answers 400 to %s', async (_, body, reason) => {
    const answer = await send(topic, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(reason);
  });

  it('answers 404 for a topic that does not exist and 400 for a bad topic name', async () => {
    expect((await send('no-such-topic-anywhere', { body: 'x' })).status).toBe(404);
    expect((await send('bad.name', { body: 'x' })).status).toBe(400);
  });
});

describe('GET /messages/:id/trail', () => {
  it('shows, per group, each delivery attempt and the ack, the dead-lettering with its reason, and the replay', async () => {
    const happy = `${tracedTopic}-happy`;
    const reader = await clients.simpleConsumer(happy, { [tracedTopic]: '*' });
    const doomed = await clients.simpleConsumer(failing, { [tracedTopic]: '*' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { body: sent } = await send(tracedTopic, { body: 'trail me', keys: ['trail-key'], properties: { traceparent } });

    // happy: delivered once, not acked (in flight), then redelivered and acked.
    const [first] = await receiveCount(reader, 1, { ack: false, invisibleMs: 1_000 });
    expect([first.messageId, first.deliveryAttempt]).toEqual([sent.messageId, 1]);
    const [second] = await receiveCount(reader, 1);
    expect([second.messageId, second.deliveryAttempt]).toEqual([sent.messageId, 2]);
    // failing: one attempt allowed; left unacknowledged, it is dead-lettered.
    await waitFor(async () => (await receiveDuring(doomed, 200, { ack: false, invisibleMs: 1_000 }), (await admin.group(failing)).dlq === 1), { timeoutMs: 20_000, message: 'the dead letter' });

    const trail = async () => (await admin.get<History>(`/messages/${sent.messageId}/trail`)).body;
    const before = await trail();
    expect(before.message).toMatchObject({ messageId: sent.messageId, keys: ['trail-key'], bodyText: 'trail me' });
    expect(before.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const byGroup = new Map(before.groups.map((entry) => [entry.group, entry]));
    expect(byGroup.get(happy)).toMatchObject({ state: 'acked', attempts: 2 });
    expect(byGroup.get(happy)?.events.map((entry) => [entry.event, entry.attempt])).toEqual([['delivered', 1], ['delivered', 2], ['acked', 0]]);
    expect(byGroup.get(failing)?.state).toBe('dead-lettered');
    expect(byGroup.get(failing)?.events.map((entry) => [entry.event, entry.reason])).toEqual([['delivered', undefined], ['dead-lettered', 'max attempts reached']]);

    await admin.post(`/groups/${failing}/dlq/replay`, { messageIds: [sent.messageId] });
    const after = (await trail()).groups.find((entry) => entry.group === failing);
    expect(after?.state).toBe('waiting');
    expect(after?.events.at(-1)?.event).toBe('replayed');
  });

  it('answers 404 for an unknown message id', async () => {
    expect((await admin.get('/messages/0123456789ABCDEF0123456789ABCDEF/trail')).status).toBe(404);
  });
});
