/**
 * Messages/s through the transport (ClientRocketMQ.publishMessage → ServerRocketMQ handler) against
 * the official client used directly (Producer.send → SimpleConsumer receive/ack), same broker, same
 * payloads, same publish window and consumer concurrency. `npm run bench:transport`;
 * BENCH_MESSAGES, BENCH_WINDOW, BENCH_CONCURRENCY override the defaults.
 */
import { Controller, type INestMicroservice, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientRocketMQ, RocketMQEventPattern, ServerRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { BrokerProcess, waitFor } from '@rocketmq-shop/testing';
import { forEachLimited } from '../test/support/concurrency';
import { rawProducer, rawSimpleConsumer } from '../test/support/raw-client';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 64);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const TOPICS = { transport: 'bench-transport', raw: 'bench-raw' };
const GROUPS = { transport: 'bench-transport-g', raw: 'bench-raw-g' };
const DRAIN_TIMEOUT_MS = 300_000;

/** A 1 KiB JSON document (the id makes each one distinct). */
const payload = (id: number) => {
  const base = { id, sku: `sku-${id % 500}`, pad: '' };
  return { ...base, pad: 'x'.repeat(1024 - JSON.stringify(base).length) };
};
const ids = Array.from({ length: MESSAGES }, (_, i) => i);

interface Result {
  publishPerSecond: number;
  endToEndPerSecond: number;
}

let handled = 0;

@Controller()
class CountingHandler {
  @RocketMQEventPattern(TOPICS.transport, { group: GROUPS.transport, concurrency: CONCURRENCY, batchSize: 32, awaitDurationMs: 5000 })
  count(): void {
    handled++;
  }
}

async function timed(publish: () => Promise<void>, consumed: () => number): Promise<Result> {
  const started = performance.now();
  await publish();
  const published = performance.now();
  await waitFor(() => consumed() >= MESSAGES, { timeoutMs: DRAIN_TIMEOUT_MS, intervalMs: 5, message: `${MESSAGES} messages consumed` });
  const done = performance.now();
  return { publishPerSecond: MESSAGES / ((published - started) / 1000), endToEndPerSecond: MESSAGES / ((done - started) / 1000) };
}

async function throughTransport(endpoints: string): Promise<Result> {
  const server = new ServerRocketMQ({ endpoints });
  const app: INestMicroservice = await NestFactory.createMicroservice({ module: class BenchModule {}, controllers: [CountingHandler] }, { strategy: server, logger: false });
  await app.listen();
  const client = new ClientRocketMQ({ endpoints, topics: [TOPICS.transport] });
  await client.connect();
  try {
    return await timed(() => forEachLimited(ids, WINDOW, (id) => client.publishMessage(TOPICS.transport, payload(id))), () => handled);
  } finally {
    await client.close();
    await app.close();
  }
}

async function throughOfficialClient(endpoints: string): Promise<Result> {
  const producer = await rawProducer(endpoints, [TOPICS.raw]);
  const consumer = await rawSimpleConsumer(endpoints, GROUPS.raw, TOPICS.raw, 5000);
  let consumed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const messages = await consumer.receive(32, 30_000);
      await forEachLimited(messages, CONCURRENCY, async (message) => {
        JSON.parse(message.body.toString('utf8'));
        await consumer.ack(message);
        consumed++;
      });
    }
  })();
  try {
    const body = (id: number) => Buffer.from(JSON.stringify(payload(id)));
    return await timed(() => forEachLimited(ids, WINDOW, (id) => producer.send({ topic: TOPICS.raw, body: body(id) })), () => consumed);
  } finally {
    running = false;
    await loop;
    await consumer.shutdown();
    await producer.shutdown();
  }
}

const row = (name: string, r: Result) => `| ${name} | ${Math.round(r.publishPerSecond)} | ${Math.round(r.endToEndPerSecond)} |`;

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const broker = await BrokerProcess.start({ topics: Object.values(TOPICS).map((name) => ({ name })) });
  try {
    const raw = await throughOfficialClient(broker.endpoint);
    const transport = await throughTransport(broker.endpoint);
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`${MESSAGES} messages of 1 KiB JSON, publish window ${WINDOW}, consumer concurrency ${CONCURRENCY}, one broker (fsync on), Node ${process.version}\n`);
    console.log('| Path | publish msg/s | end-to-end msg/s (publish → handled) |');
    console.log('|---|---:|---:|');
    console.log(row('official client (Producer.send / SimpleConsumer receive+ack)', raw));
    console.log(row('transport (ClientRocketMQ.publishMessage / ServerRocketMQ handler)', transport));
    console.log(`| transport ÷ official | ${ratio(transport.publishPerSecond, raw.publishPerSecond)} | ${ratio(transport.endToEndPerSecond, raw.endToEndPerSecond)} |`);
  } finally {
    await broker.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
