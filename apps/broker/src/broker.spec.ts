import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Broker } from './broker';
import { type BrokerConfig, defaultConfig } from './config/broker-config';
import { compileSubscriptionFilter } from './filtering';
import type { MessageDraft } from './messaging/message';

const TOPIC = 'retained';
const dirs: string[] = [];

function configFor(dataDir: string): BrokerConfig {
  return {
    ...defaultConfig(),
    dataDir,
    topics: [{ name: TOPIC, queues: 2, type: 'NORMAL' }],
    storage: { ...defaultConfig().storage, segmentBytes: 8 * 1024, fsync: false, retentionBytes: 16 * 1024 },
  };
}

async function open(dataDir?: string): Promise<Broker> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'broker-unit-'));
  if (!dataDir) dirs.push(dir);
  return Broker.open(configFor(dir), { logger: pino({ level: 'silent' }), checkTransaction: () => false });
}

function draft(i: number): MessageDraft {
  return { topic: TOPIC, messageId: `M${i}`, type: 'NORMAL', keys: [], properties: {}, bornAt: Date.now(), bornHost: 'test', gzip: false, body: Buffer.alloc(1024, i), digest: '' };
}

function receive(broker: Broker, group: string, batchSize = 32) {
  return broker.consuming.receive({ group, topic: TOPIC, filter: compileSubscriptionFilter('TAG', '*'), batchSize, invisibleMs: 60_000, pollUntil: Date.now(), signal: new AbortController().signal });
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Broker retention', () => {
  it('drops the oldest segments with their messages and group progress, and keeps serving the rest, also after a restart', async () => {
    const broker = await open();
    for (let i = 0; i < 60; i++) await broker.producing.send(draft(i));
    const firstBatch = await receive(broker, 'reader', 10);
    await broker.consuming.ack('reader', TOPIC, firstBatch.map((delivery) => delivery.receiptHandle));

    await broker.enforceRetention();

    const remaining = broker.topics.require(TOPIC).messageCount;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(60);
    expect(await broker.findMessage('M0')).toBeUndefined();
    expect((await broker.findMessage('M59'))?.messageId).toBe('M59');
    const [stats] = broker.lagReport();
    expect(stats.backlog).toBe(remaining);

    const rest = await receive(broker, 'reader');
    const more = await receive(broker, 'reader');
    const ids = [...rest, ...more].map((d) => d.message.messageId);
    expect(ids).toHaveLength(remaining);
    expect(ids).toContain('M59');
    const dataDir = broker.config.dataDir;
    await broker.close();

    const reopened = await open(dataDir);
    expect(reopened.topics.require(TOPIC).messageCount).toBe(remaining);
    expect(await reopened.findMessage('M0')).toBeUndefined();
    await reopened.close();
  });
});

describe('Broker start-up refusals', () => {
  it('refuses a data directory written by the first storage format, instead of misreading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-unit-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'commitlog'));
    writeFileSync(join(dir, 'commitlog', '00000000000000000000.log'), Buffer.alloc(64));
    await expect(open(dir)).rejects.toThrow(/earlier broker version \(format 1/);
  });

  it('refuses to start when no checkpoint is readable and the state journal was compacted', async () => {
    const broker = await open();
    await broker.producing.send(draft(0));
    await receive(broker, 'reader');
    const dataDir = broker.config.dataDir;
    await broker.close();
    for (const name of readdirSync(join(dataDir, 'state'))) if (name.startsWith('checkpoint-')) rmSync(join(dataDir, 'state', name));
    // A journal whose first segment does not start at 0: what a checkpoint let go is gone.
    renameSync(join(dataDir, 'state', 'journal', '00000000000000000000.log'), join(dataDir, 'state', 'journal', '00000000000000004096.log'));
    await expect(open(dataDir)).rejects.toThrow(/no readable checkpoint .* Move the state directory aside/);
  });
});

describe('Broker sending a batch', () => {
  it('answers each message of a batch on its own: invalid, wrong-type and unknown-topic entries fail alone, the rest are stored in order', async () => {
    const broker = await open();
    const invalid = new Error('message body is empty');
    const results = await broker.producing.sendAll([
      draft(0),
      invalid,
      { ...draft(1), type: 'FIFO', messageGroup: 'g' },
      { ...draft(2), topic: 'missing' },
      draft(3),
    ]);
    expect(results[1]).toBe(invalid);
    expect(results[2]).toMatchObject({ code: 40014 });
    expect(results[3]).toMatchObject({ code: 40402 });
    const stored = [results[0], results[4]].map((result) => (result instanceof Error ? result.message : result.messageId));
    expect(stored).toEqual(['M0', 'M3']);
    const delivered = await receive(broker, 'batch-reader');
    expect(delivered.map((delivery) => delivery.message.messageId).sort()).toEqual(['M0', 'M3']);
    await broker.close();
  });
});
