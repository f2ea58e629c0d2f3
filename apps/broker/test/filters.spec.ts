import { BadRequestException, type MessageOptions } from 'rocketmq-client-nodejs';
import { Code } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { describe, expect, it } from 'vitest';
import { sqlFilter } from './support/clients';
import { expectClientException } from './support/errors';
import { useBroker } from './support/harness';
import { receiveCount, receiveDuring, sendAll } from './support/messaging';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topics = {
  tags: topology.topic('NORMAL', 'tag-filter'),
  sql: topology.topic('NORMAL', 'sql-filter'),
  badSql: topology.topic('NORMAL', 'bad-sql'),
  changedFilter: topology.topic('NORMAL', 'changed-filter'),
};
const { clients } = useBroker(topology.toConfig());

const NOTHING_MORE_WINDOW_MS = 3000;

function idsOf(messages: { messageId: string }[]): string[] {
  return messages.map((message) => message.messageId).sort();
}

describe('server-side filtering', () => {
  it('TAG "a||b" delivers only those tags, and unmatched messages ahead of them do not block', async () => {
    const producer = await clients.producer({ topics: [topics.tags] });
    const unmatched: MessageOptions[] = Array.from({ length: 60 }, (_, i) => ({
      topic: topics.tags,
      body: Buffer.from(`skip-${i}`),
      ...(i % 3 === 0 ? {} : { tag: i % 3 === 1 ? 'c' : 'ab' }),
    }));
    const matched: MessageOptions[] = Array.from({ length: 10 }, (_, i) => ({ topic: topics.tags, body: Buffer.from(`take-${i}`), tag: i % 2 ? 'a' : 'b' }));
    await sendAll(producer, unmatched, 1);
    const expected = idsOf(await sendAll(producer, matched, 1));

    const consumer = await clients.simpleConsumer(`${topics.tags}-g`, { [topics.tags]: 'a||b' });
    const received = await receiveCount(consumer, expected.length, { timeoutMs: 15_000 });
    expect(idsOf(received)).toEqual(expected);
    expect(new Set(received.map((message) => message.tag))).toEqual(new Set(['a', 'b']));
    expect(await receiveDuring(consumer, NOTHING_MORE_WINDOW_MS)).toEqual([]);
  });

  it('SQL92 on user properties delivers only matching messages', async () => {
    const producer = await clients.producer({ topics: [topics.sql] });
    const orders = [
      { region: 'eu', amount: '150', matches: true },
      { region: 'eu', amount: '99', matches: false },
      { region: 'us', amount: '500', matches: false },
      { region: 'eu', amount: '101', matches: true },
      { region: 'apac', amount: '1', vip: 'true', matches: true },
      { amount: '900', matches: false },
    ];
    const receipts = await sendAll(
      producer,
      orders.map(({ matches: _matches, ...properties }, i) => ({
        topic: topics.sql,
        body: Buffer.from(`order-${i}`),
        properties: new Map(Object.entries(properties)),
      })),
      1,
    );
    const expected = idsOf(receipts.filter((_, i) => orders[i].matches));

    const consumer = await clients.simpleConsumer(`${topics.sql}-g`, {
      [topics.sql]: sqlFilter("(region = 'eu' AND amount > 100) OR vip = 'true'"),
    });
    const received = await receiveCount(consumer, expected.length, { timeoutMs: 15_000 });
    expect(idsOf(received)).toEqual(expected);
    expect(await receiveDuring(consumer, NOTHING_MORE_WINDOW_MS)).toEqual([]);
  });

  it('a redelivery honours the receiving consumer\'s filter: an unacknowledged tag-a message never reaches a tag-b consumer of the group', async () => {
    const topic = topics.changedFilter;
    const group = `${topic}-g`;
    const producer = await clients.producer({ topics: [topic] });
    const [tagged] = await sendAll(producer, [{ topic, body: Buffer.from('for a'), tag: 'a' }]);
    const consumerA = await clients.simpleConsumer(group, { [topic]: 'a' });
    const [first] = await receiveCount(consumerA, 1, { ack: false, invisibleMs: 1000, timeoutMs: 10_000 });
    expect(first.messageId).toBe(tagged.messageId);

    const consumerB = await clients.simpleConsumer(group, { [topic]: 'b' });
    const [forB] = await sendAll(producer, [{ topic, body: Buffer.from('for b'), tag: 'b' }]);
    const seenByB = await receiveDuring(consumerB, NOTHING_MORE_WINDOW_MS);
    expect(idsOf(seenByB)).toEqual([forB.messageId]);
  });

  it('refuses an unparsable SQL92 expression with ILLEGAL_FILTER_EXPRESSION (at settings or at receive)', async () => {
    const subscribeAndReceive = async () => {
      const consumer = await clients.simpleConsumer(`${topics.badSql}-g`, { [topics.badSql]: sqlFilter("region = = 'eu' AND (") });
      await consumer.receive(1, 10_000);
    };
    await expectClientException(subscribeAndReceive(), BadRequestException, Code.ILLEGAL_FILTER_EXPRESSION);
  });
});
