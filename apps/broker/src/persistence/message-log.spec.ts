import { promises as fs } from 'node:fs';
import os from 'node:os';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamageLog } from '../storage/damage-log';
import { nodeFileSystem } from '../storage/file-system';
import { RECORD_OVERHEAD_BYTES } from '../storage/record-codec';
import { SegmentedLog } from '../storage/segmented-log';
import { LogRecord, type MessageMeta } from './log-records';
import { type LogVisitor, MessageLog } from './message-log';
import { bloomBits } from '../util/hash';
import { indexFileName, type IndexEntry, readSealedIndex } from './segment-index';

let dir: string;
let damage: DamageLog;
const logs: MessageLog[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'message-log-'));
  damage = new DamageLog(nodeFileSystem, dir, pino({ level: 'silent' }), () => undefined);
});

afterEach(async () => {
  await Promise.allSettled(logs.splice(0).map((log) => log.close()));
  await fs.rm(dir, { recursive: true, force: true });
});

const logDir = () => path.join(dir, 'commitlog');

async function open(options: { segmentBytes?: number; cacheBytes?: number; from?: number } = {}) {
  const log = await MessageLog.open(nodeFileSystem, logDir(), { segmentBytes: options.segmentBytes ?? 4096, fsync: true, cacheBytes: options.cacheBytes ?? 0 }, damage, pino({ level: 'silent' }), () => undefined);
  logs.push(log);
  const entries: QueueView[] = [];
  const unstaged: string[] = [];
  let runs = 0;
  const visitor: LogVisitor = {
    entry: (entry) => entries.push(queueView(entry)),
    run: (run) => {
      runs++;
      run.positions.forEach((position, i) => entries.push({ topicId: run.topicId, queueId: run.queueId, offset: run.firstOffset + i, position, size: run.sizes[i], tagHash: run.tagHashes[i], groupHash: run.groupHashes[i] }));
    },
    staged: () => undefined,
    unstaged: (id) => unstaged.push(id),
  };
  const report = await log.recover(options.from ?? 0, visitor);
  entries.sort((a, b) => a.position - b.position);
  return { log, entries, runs, unstaged, report };
}

/** What recovery hands a queue: runs carry no id hash or keys bloom (those serve lookups). */
type QueueView = Omit<IndexEntry, 'idHash' | 'keysBloom'>;
const queueView = ({ idHash: _id, keysBloom: _keys, ...view }: IndexEntry): QueueView => view;

function meta(offset: number, extra: Partial<MessageMeta> = {}): MessageMeta {
  return { topic: 't', topicId: 1, queueId: 0, offset, messageId: `M${offset}`, type: 'NORMAL', keys: [`key-${offset % 3}`], properties: {}, bornAt: 0, bornHost: 'h', gzip: false, digest: 'D', storedAt: 1000 + offset, ...extra };
}

async function appendMessages(log: MessageLog, count: number, from = 0) {
  const appended = Array.from({ length: count }, (_, i) => log.appendMessage(meta(from + i), Buffer.alloc(200, from + i)));
  await Promise.all(appended.map((a) => a.durable));
  return appended.map((a) => a.entry);
}

const segments = async () => (await fs.readdir(logDir())).filter((name) => name.endsWith('.log')).sort();

describe('MessageLog', () => {
  it('after a clean close, recovery loads the segment indexes (runs of the sealed ones) and reads no segment', async () => {
    const { log } = await open();
    const written = await appendMessages(log, 60);
    await log.close();
    expect((await segments()).length).toBeGreaterThan(2);
    const { entries, runs, report } = await open();
    expect(report).toEqual({ segments: (await segments()).length, scannedSegments: 0, truncatedBytes: 0 });
    expect(runs).toBe((await segments()).length - 1);
    expect(entries).toEqual(written.map(queueView));
  });

  it('after a crash (no sealed index for the active segment) scans only that segment', async () => {
    const { log } = await open();
    const written = await appendMessages(log, 60);
    await log.flush();
    // A crash: nothing sealed at close; drop the handles without close().
    logs.pop();
    const { entries, report } = await open();
    expect(report.scannedSegments).toBe(1);
    expect(entries).toEqual(written.map(queueView));
    await log.close().catch(() => undefined);
  });

  it('loads indexes sealed before runs existed by their entries', async () => {
    const { log } = await open();
    const written = await appendMessages(log, 60);
    await log.close();
    for (const name of (await fs.readdir(logDir())).filter((file) => file.endsWith('.idx'))) {
      const file = path.join(logDir(), name);
      const sealed = await fs.readFile(file);
      const footer = sealed.subarray(-40);
      const entriesEnd = 16 + footer.readUInt32LE(4) * 40;
      // The older footer: [magic "RMQF"][count][covered][newest][crc32 of everything before][0].
      const older = Buffer.alloc(32);
      older.writeUInt32LE(0x46514d52, 0);
      footer.copy(older, 4, 4, 24);
      older.writeUInt32LE(crc32(older.subarray(0, 24), crc32(sealed.subarray(0, entriesEnd))), 24);
      await fs.writeFile(file, Buffer.concat([sealed.subarray(0, entriesEnd), older]));
    }
    const { entries, runs, report } = await open();
    expect([report.scannedSegments, runs]).toEqual([0, 0]);
    expect(entries).toEqual(written.map(queueView));
  });

  describe('a damaged index', () => {
    async function damageFirstIndex(part: 'entries' | 'runs' | 'both') {
      const { log } = await open();
      const written = await appendMessages(log, 60);
      await log.close();
      const [firstSegment] = await segments();
      const indexPath = path.join(logDir(), indexFileName(Number(firstSegment.slice(0, 20))));
      const index = await fs.readFile(indexPath);
      const runsStart = 16 + index.readUInt32LE(index.length - 40 + 4) * 40;
      if (part !== 'runs') index[40] ^= 0x01;
      if (part !== 'entries') index[runsStart + 30] ^= 0x01;
      await fs.writeFile(indexPath, index);
      return { written, indexPath };
    }

    it('with damaged entries: recovery uses the runs, and the first lookup rebuilds the entries from the segment', async () => {
      const { written, indexPath } = await damageFirstIndex('entries');
      const { log, entries, report } = await open();
      expect(report.scannedSegments).toBe(0);
      expect(entries).toEqual(written.map(queueView));
      expect((await log.findById('M0')).map((m) => m.offset)).toEqual([0]);
      expect(await readSealedIndex(nodeFileSystem, indexPath, 0)).toMatchObject({ count: expect.any(Number) });
      expect(damage.entries).toEqual([]);
    });

    it('with damaged runs: recovery decodes the entries instead', async () => {
      const { written } = await damageFirstIndex('runs');
      const { entries, report } = await open();
      expect(report.scannedSegments).toBe(0);
      expect(entries).toEqual(written.map(queueView));
    });

    it('with both damaged: recovery rebuilds the index from its segment', async () => {
      const { written } = await damageFirstIndex('both');
      const { log, entries, report } = await open();
      expect(report.scannedSegments).toBe(1);
      expect(entries).toEqual(written.map(queueView));
      await log.close();
      const again = await open();
      expect([again.report.scannedSegments, again.runs]).toEqual([0, (await segments()).length - 1]);
    });
  });

  it('reads bodies back from disk, and reports a damaged record once, returning nothing for it', async () => {
    const { log } = await open({ cacheBytes: 0 });
    const written = await appendMessages(log, 10);
    const read = await log.readMessages(written);
    expect(read.map((m) => m?.messageId)).toEqual(written.map((_, i) => `M${i}`));
    expect(read[3]?.body).toEqual(Buffer.alloc(200, 3));

    const file = path.join(logDir(), (await segments())[0]);
    const handle = await fs.open(file, 'r+');
    await handle.write(Buffer.from([0xee]), 0, 1, written[3].position + RECORD_OVERHEAD_BYTES + 2);
    await handle.close();
    const again = await log.readMessages([written[2], written[3], written[4]]);
    expect(again.map((m) => m?.messageId)).toEqual(['M2', undefined, 'M4']);
    await log.readMessages([written[3]]);
    expect(damage.entries).toMatchObject([{ kind: 'corrupt', offset: written[3].position, length: written[3].size }]);
  });

  it('finds messages by id and by key through the indexes', async () => {
    const { log } = await open();
    await appendMessages(log, 30);
    expect((await log.findById('M17')).map((m) => m.offset)).toEqual([17]);
    expect(await log.findById('nope')).toEqual([]);
    const byKey = await log.findByKey(1, 'key-2', 100);
    expect(byKey.map((m) => m.offset).sort((a, b) => a - b)).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
  });

  it('finds a key whose bloom bits include the sign bit', async () => {
    const { log } = await open();
    const key = Array.from({ length: 200 }, (_, i) => `order-${i}`).find((candidate) => bloomBits(candidate) >= 2 ** 31)!;
    const { durable } = log.appendMessage(meta(0, { keys: [key] }), Buffer.from('body'));
    await durable;
    expect((await log.findByKey(1, key, 10)).map((m) => m.messageId)).toEqual(['M0']);
  });

  it('replays staged-message events only from the checkpoint position', async () => {
    const { log } = await open();
    const staged = log.appendStaged({ ...meta(0), messageId: 'S1', storedAt: 0 }, Buffer.from('half'));
    await staged.durable;
    const from = log.endPosition;
    await log.appendDiscarded({ messageId: 'S1', reason: 'rollback' }, 0);
    await log.appendMessage(meta(0, { messageId: 'S2', releases: 'S2' }), Buffer.from('x')).durable;
    await log.close();
    const { unstaged } = await open({ from });
    expect(unstaged).toEqual(['S1', 'S2']);
  });

  it('reads a staged record only as the message it was stored for', async () => {
    const { log } = await open();
    const { location, durable } = log.appendStaged({ ...meta(0), messageId: 'S1', storedAt: 0 }, Buffer.from('half'));
    await durable;
    expect((await log.readStaged(location, 'S1'))?.body.toString()).toBe('half');
    // A place a cut tail freed and a later record reused: the other record is not this message.
    expect(await log.readStaged(location, 'S0')).toBeUndefined();
  });

  it('reads a log written before ADR 0015 (JSON record headers): messages, their index, staged records', async () => {
    const legacy = (header: object, body: string) => {
      const json = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(json.length);
      return Buffer.concat([length, json, Buffer.from(body)]);
    };
    const old = await SegmentedLog.open(nodeFileSystem, logDir(), { segmentBytes: 4096, fsync: true }, damage);
    await old.recover(0, () => undefined);
    const message = old.append(LogRecord.JsonMessage, legacy(meta(0, { tag: 'TagA' }), 'old body'), 1000);
    const staged = old.append(LogRecord.JsonStaged, legacy({ ...meta(1), messageId: 'S1', storedAt: 5 }, 'half'), 1001);
    await staged.durable;
    await old.close();

    const { log, entries } = await open({ cacheBytes: 0 });
    expect(entries).toMatchObject([{ topicId: 1, queueId: 0, offset: 0, position: message.position }]);
    const [read] = await log.readMessages(entries);
    expect(read).toMatchObject({ messageId: 'M0', tag: 'TagA', offset: 0, body: Buffer.from('old body') });
    const size = log.endPosition - staged.position;
    expect((await log.readStaged({ position: staged.position, size }, 'S1'))?.body.toString()).toBe('half');
    // New records follow the old ones in the same log.
    const [written] = await appendMessages(log, 1, 1);
    expect((await log.readMessages([written]))[0]?.messageId).toBe('M1');
    expect(damage.entries).toEqual([]);
  });
});
