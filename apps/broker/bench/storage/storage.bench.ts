import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerConfig, defaultConfig } from '../../src/config/broker-config';
import { BrokerChild } from '../broker-child';
import { RawClient } from './raw-client';
import { writeDataSet } from './write-data-set';

/**
 * `npm run bench:storage`: what the storage costs with a large backlog, from outside the process.
 *   1. Retained, unconsumed data sets (1 KiB and 64 KiB bodies) are written through the broker core (in a child process).
 *   2. The broker process starts on each: start-up time (clean, and after kill -9), resident memory
 *      after start and after a consumer read back 20,000 of the oldest messages from disk.
 *   3. Durable throughput with raw gRPC batches (32 messages a request, 16 requests in flight, fsync on),
 *      send only, draining that backlog (receive + ack), and end to end, with the broker's CPU per message; against BENCH_BASELINE_BROKER (the
 *      main.js of another build) in the same run when it is set.
 * Knobs: BENCH_STORAGE_SCALE (1: 128 MiB, 1 GiB, 2 GiB data sets; 0: throughput only), BENCH_THROUGHPUT_MESSAGES (100000),
 * BENCH_BASELINE_BROKER (another build's main.js, measured after this one), BENCH_BROKER_NODE_ARGS (e.g. --cpu-prof).
 */
const MiB = 1024 * 1024;
const TOPIC = 'backlog';
const SEND_ONLY = 'send-only';
const GROUP = 'backlog-readers';
const scale = Number(process.env.BENCH_STORAGE_SCALE ?? 1);
const throughputMessages = Number(process.env.BENCH_THROUGHPUT_MESSAGES ?? 100_000);
const baseline = process.env.BENCH_BASELINE_BROKER;
const nodeArgs = process.env.BENCH_BROKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

/** Starts measured per data set (clean, and after kill -9); the table shows the median. */
const RESTARTS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const DATA_SETS = [
  { label: '128 MiB, 1 KiB bodies', bytes: 128 * MiB * scale, body: 1024 },
  { label: '1 GiB, 1 KiB bodies', bytes: 1024 * MiB * scale, body: 1024 },
  { label: '2 GiB, 1 KiB bodies', bytes: 2048 * MiB * scale, body: 1024 },
  { label: '2 GiB, 64 KiB bodies', bytes: 2048 * MiB * scale, body: 64 * 1024 },
];

function brokerConfig(dataDir: string): BrokerConfig {
  const config = defaultConfig();
  const huge = 64 * 1024 * MiB;
  return {
    ...config,
    dataDir,
    topics: [{ name: TOPIC, queues: 8, type: 'NORMAL' }],
    storage: { ...config.storage, retentionBytes: huge, maxUnconsumedBytes: huge, maxMemoryBytes: huge },
  };
}

interface StorageRow {
  label: string;
  messages: number;
  cleanStartMs: number;
  crashStartMs: number;
  rssAfterStart: number;
  rssAfterReads: number;
}

async function measureDataSet(label: string, bytes: number, bodySize: number): Promise<StorageRow> {
  const work = mkdtempSync(join(tmpdir(), 'storage-bench-'));
  try {
    const dataDir = join(work, 'data');
    const messages = await writeDataSet({ config: brokerConfig(dataDir), topic: TOPIC, group: GROUP, bytes, bodySize });
    // The data set was written without fsync: write it back now, or the broker's first sync waits for all of it.
    execFileSync('sync');
    const broker = new BrokerChild(brokerConfig(dataDir), { dataDir, nodeArgs });
    const cleanStarts: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      await broker.start();
      cleanStarts.push(broker.readyMs);
      if (i < RESTARTS - 1) await broker.stop();
    }
    const rssAfterStart = broker.residentMiB();
    const client = new RawClient(broker.endpoint);
    for (let read = 0; read < 20_000; ) {
      const batch = await client.receive(GROUP, TOPIC, 32);
      if (batch.length === 0) break;
      await client.ack(GROUP, TOPIC, batch);
      read += batch.length;
    }
    const rssAfterReads = broker.residentMiB();
    client.close();
    const crashStarts: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      await broker.kill();
      await broker.start();
      crashStarts.push(broker.readyMs);
    }
    await broker.stop();
    return { label, messages, cleanStartMs: median(cleanStarts), crashStartMs: median(crashStarts), rssAfterStart, rssAfterReads };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface ThroughputRow {
  broker: string;
  sendRate: number;
  sendCpuUs: number;
  e2eRate: number;
  drainRate: number;
  drainCpuUs: number;
  e2eCpuUs: number;
}

const BATCH = 32;
const IN_FLIGHT = 16;

async function measureThroughput(name: string, main?: string): Promise<ThroughputRow> {
  const work = mkdtempSync(join(tmpdir(), 'storage-bench-'));
  const dataDir = join(work, 'data');
  const config = brokerConfig(dataDir);
  // Send-only goes to a topic nobody reads; end to end to one a group drains as it fills.
  const broker = new BrokerChild({ ...config, topics: [...config.topics, { name: SEND_ONLY, queues: 8, type: 'NORMAL' }] }, { dataDir, main, nodeArgs });
  await broker.start();
  const clients = Array.from({ length: 4 }, () => new RawClient(broker.endpoint));
  const body = Buffer.alloc(1024, 't');
  const sendAll = async (topic: string, count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, lane) => {
        while (next < count) {
          const size = Math.min(BATCH, count - next);
          next += size;
          await clients[lane % clients.length].send(topic, Array.from({ length: size }, () => body));
        }
      }),
    );
  };
  try {
    await sendAll(SEND_ONLY, 2000); // warm-up
    let cpu = broker.cpuSeconds();
    let started = performance.now();
    await sendAll(SEND_ONLY, throughputMessages);
    const sendSeconds = (performance.now() - started) / 1000;
    const sendCpu = broker.cpuSeconds() - cpu;

    // Drain: a new group starts at the first retained message, so it delivers and acks the backlog just sent.
    // Resolves when the last ack is answered, not when the other clients' long polls give up.
    const drainAll = (topic: string, total: number) =>
      new Promise<void>((drained, failed) => {
        let consumed = 0;
        let acked = 0;
        let receives = 0;
        for (const client of clients) {
          void (async () => {
            while (consumed < total) {
              const batch = await client.receive(GROUP, topic, BATCH, 30_000, 5000);
              consumed += batch.length;
              receives++;
              await client.ack(GROUP, topic, batch);
              acked += batch.length;
              if (acked >= total && acked - batch.length < total) {
                process.stderr.write(`${name} ${topic}: ${(consumed / receives).toFixed(1)} messages per receive\n`);
                drained();
              }
            }
          })().catch(failed);
        }
      });
    cpu = broker.cpuSeconds();
    started = performance.now();
    await drainAll(SEND_ONLY, throughputMessages + 2000);
    const drainSeconds = (performance.now() - started) / 1000;
    const drainCpu = broker.cpuSeconds() - cpu;

    await clients[0].receive(GROUP, TOPIC, 1, 10_000, 5000); // subscribes
    cpu = broker.cpuSeconds();
    started = performance.now();
    await Promise.all([sendAll(TOPIC, throughputMessages), drainAll(TOPIC, throughputMessages)]);
    const e2eSeconds = (performance.now() - started) / 1000;
    const e2eCpu = broker.cpuSeconds() - cpu;
    return {
      broker: name,
      sendRate: throughputMessages / sendSeconds,
      sendCpuUs: (sendCpu / throughputMessages) * 1e6,
      drainRate: (throughputMessages + 2000) / drainSeconds,
      drainCpuUs: (drainCpu / (throughputMessages + 2000)) * 1e6,
      e2eRate: throughputMessages / e2eSeconds,
      e2eCpuUs: (e2eCpu / throughputMessages) * 1e6,
    };
  } finally {
    for (const client of clients) client.close();
    await broker.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  if (scale > 0) await measureStorage();
  await measureThroughputs();
}

async function measureStorage(): Promise<void> {
  const rows: StorageRow[] = [];
  for (const set of DATA_SETS) {
    process.stderr.write(`writing and measuring ${set.label}…\n`);
    rows.push(await measureDataSet(set.label, set.bytes, set.body));
  }
  console.log('\n| Retained, unconsumed | Messages | Start (clean) ms, median of 5 | Start after kill -9 ms, median of 5 | RSS after start MiB | RSS after reading 20k oldest MiB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.label} | ${number(row.messages)} | ${number(row.cleanStartMs)} | ${number(row.crashStartMs)} | ${number(row.rssAfterStart, 1)} | ${number(row.rssAfterReads, 1)} |`);
  }
  const [small, large] = rows;
  console.log(`\nrestart 1GiB/128MiB clean=${(large.cleanStartMs / small.cleanStartMs).toFixed(2)} after_kill=${(large.crashStartMs / small.crashStartMs).toFixed(2)}`);
  console.log(`max_rss_mib=${number(Math.max(...rows.slice(2).map((row) => Math.max(row.rssAfterStart, row.rssAfterReads))), 1)} (2 GiB retained)`);
}

async function measureThroughputs(): Promise<void> {
  const throughput = [await measureThroughput('this broker')];
  if (baseline) throughput.push(await measureThroughput('baseline', baseline));
  console.log('\n| Broker | Durable send msg/s | CPU µs/msg | Drain (receive+ack) msg/s | CPU µs/msg | End-to-end msg/s | CPU µs/msg (send+receive+ack) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const row of throughput) {
    console.log(`| ${row.broker} | ${number(row.sendRate)} | ${number(row.sendCpuUs, 1)} | ${number(row.drainRate)} | ${number(row.drainCpuUs, 1)} | ${number(row.e2eRate)} | ${number(row.e2eCpuUs, 1)} |`);
  }
  if (throughput[1]) console.log(`\nthis/baseline send=${(throughput[0].sendRate / throughput[1].sendRate).toFixed(2)} e2e=${(throughput[0].e2eRate / throughput[1].e2eRate).toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
