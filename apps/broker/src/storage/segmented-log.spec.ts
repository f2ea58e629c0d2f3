import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DamageLog } from './damage-log';
import { type FileHandle, nodeFileSystem } from './file-system';
import { RECORD_OVERHEAD_BYTES } from './record-codec';
import { segmentFileName } from './segment';
import { DEFERRED_COMMIT_MS, SegmentedLog, type SegmentedLogOptions } from './segmented-log';

let dir: string;
let damage: DamageLog;
let corrupt: number;
const openLogs: SegmentedLog[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segmented-log-'));
  corrupt = 0;
  damage = new DamageLog(nodeFileSystem, dir, pino({ level: 'silent' }), () => corrupt++);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.allSettled(openLogs.splice(0).map((log) => log.close()));
  await fs.rm(dir, { recursive: true, force: true });
});

const logDir = () => path.join(dir, 'log');

async function openLog(options: Partial<SegmentedLogOptions> = {}): Promise<SegmentedLog> {
  const log = await SegmentedLog.open(nodeFileSystem, logDir(), { segmentBytes: 1024 * 1024, fsync: true, ...options }, damage);
  openLogs.push(log);
  return log;
}

async function recovered(options: Partial<SegmentedLogOptions> = {}) {
  const log = await openLog(options);
  const records: { payload: string; position: number }[] = [];
  const report = await log.recover(0, (_type, payload, position) => records.push({ payload: payload.toString(), position }));
  return { log, records, report };
}

async function appendAll(log: SegmentedLog, payloads: string[]): Promise<number[]> {
  const results = payloads.map((payload) => log.append(1, Buffer.from(payload), Date.now()));
  await Promise.all(results.map((result) => result.durable));
  return results.map((result) => result.position);
}

const segmentPath = (base: number) => path.join(logDir(), segmentFileName(base));
const segmentFiles = async () => (await fs.readdir(logDir())).filter((name) => name.endsWith('.log')).sort();

describe('SegmentedLog appends, reads and recovery', () => {
  it('recovers what was appended, in order, at the same positions', async () => {
    const { log } = await recovered();
    const positions = await appendAll(log, ['one', 'two', 'three']);
    expect(positions).toEqual([0, RECORD_OVERHEAD_BYTES + 3, 2 * RECORD_OVERHEAD_BYTES + 6]);
    expect((await log.read(positions[1])).payload.toString()).toBe('two');
    await log.close();
    const again = await recovered();
    expect(again.records).toEqual([
      { payload: 'one', position: positions[0] },
      { payload: 'two', position: positions[1] },
      { payload: 'three', position: positions[2] },
    ]);
    expect(again.report).toMatchObject({ segments: 1, records: 3, damagedBytes: 0, truncatedBytes: 0 });
  });

  it('recovers from a position on: earlier records are not visited', async () => {
    const { log } = await recovered({ segmentBytes: 64 });
    const positions = await appendAll(log, ['a', 'b', 'c', 'd', 'e']);
    await log.close();
    const reopened = await openLog({ segmentBytes: 64 });
    const seen: string[] = [];
    await reopened.recover(positions[3], (_type, payload) => seen.push(payload.toString()));
    expect(seen).toEqual(['d', 'e']);
  });

  it('enforces its call order', async () => {
    const log = await openLog();
    expect(() => log.append(1, Buffer.from('x'), 0)).toThrow(/before recovery/);
    await log.recover(0, () => undefined);
    expect(() => log.append(256, Buffer.from('x'), 0)).toThrow(RangeError);
    await log.close();
    expect(() => log.append(1, Buffer.from('x'), 0)).toThrow(/closed/);
  });

  it('group-commits a burst: 2000 concurrent appends take a handful of synced writes', async () => {
    const { log } = await recovered();
    await appendAll(log, Array.from({ length: 2000 }, (_, i) => `message-${i}`));
    expect(log.stats.syncs).toBeGreaterThan(0);
    expect(log.stats.syncs).toBeLessThanOrEqual(2);
    expect(log.stats.writes).toBe(log.stats.syncs);
  });

  it('is fail-stop: after a failed synced write no append is reported durable', async () => {
    const { log } = await recovered();
    await appendAll(log, ['before']);
    const failure = new Error('EIO: simulated write-back failure');
    const probe = await nodeFileSystem.open(path.join(dir, 'probe'), { create: true });
    await probe.close();
    vi.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'writev').mockRejectedValueOnce(failure);
    await expect(log.append(1, Buffer.from('x'), 0).durable).rejects.toBe(failure);
    await expect(log.append(1, Buffer.from('later'), 0).durable).rejects.toBe(failure);
    await expect(log.flush()).rejects.toBe(failure);
  });

  describe('deferred records', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('share the write of the next durable append, in order', async () => {
      const { log } = await recovered();
      const deferred = log.append(1, Buffer.from('delivered'), 0, true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(log.stats.writes).toBe(0);
      await log.append(1, Buffer.from('finished'), 0).durable;
      await deferred.durable;
      expect(log.stats.writes).toBe(1);
      await log.close();
      expect((await recovered()).records.map((r) => r.payload)).toEqual(['delivered', 'finished']);
    });

    it(`are written on their own once ${DEFERRED_COMMIT_MS} ms pass without another append`, async () => {
      const { log } = await recovered();
      const deferred = log.append(1, Buffer.from('delivered'), 0, true);
      vi.advanceTimersByTime(DEFERRED_COMMIT_MS - 1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(log.stats.writes).toBe(0);
      vi.advanceTimersByTime(1);
      await deferred.durable;
      expect(log.stats.writes).toBe(1);
    });

    it('are written by flush (and so by close)', async () => {
      const { log } = await recovered();
      log.append(1, Buffer.from('delivered'), 0, true);
      await log.flush();
      expect(log.stats.writes).toBe(1);
    });
  });

  it('rolls segments named by base position and deletes the oldest below a position, never the active one', async () => {
    const { log } = await recovered({ segmentBytes: 100 });
    const positions = await appendAll(log, Array.from({ length: 20 }, (_, i) => `payload-${i}`));
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]).toBe(segmentFileName(0));
    const deleted = await log.deleteSegmentsBelow(positions[10]);
    expect(deleted.length).toBeGreaterThan(0);
    expect(log.firstPosition).toBeLessThanOrEqual(positions[10]);
    await expect(log.read(positions[0])).rejects.toThrow(/removed by retention/);
    await log.deleteSegmentsBelow(Infinity);
    expect(await segmentFiles()).toEqual([log.active.name]);
  });
});

describe('SegmentedLog damage', () => {
  it('loses only the damaged record of an older segment, reports it at error level and copies the bytes aside', async () => {
    const { log } = await recovered({ segmentBytes: 100 });
    const positions = await appendAll(log, Array.from({ length: 12 }, (_, i) => `record-${String(i).padStart(2, '0')}`));
    await log.close();
    const file = segmentPath(0);
    const data = await fs.readFile(file);
    data[positions[1] + RECORD_OVERHEAD_BYTES] ^= 0xff;
    await fs.writeFile(file, data);

    const { records, report } = await recovered({ segmentBytes: 100 });
    expect(records.map((record) => record.payload)).toEqual(Array.from({ length: 12 }, (_, i) => `record-${String(i).padStart(2, '0')}`).filter((_, i) => i !== 1));
    expect(report.damagedBytes).toBe(positions[2] - positions[1]);
    expect(report.truncatedBytes).toBe(0);
    expect(corrupt).toBe(1);
    const [found] = damage.entries;
    expect(found).toMatchObject({ kind: 'corrupt', file: `log/${segmentFileName(0)}`, offset: positions[1], length: positions[2] - positions[1] });
    expect(await fs.readFile(path.join(dir, found.copiedTo as string))).toEqual(data.subarray(positions[1], positions[2]));
    expect(await fs.readFile(file)).toEqual(data); // evidence kept in place too
  });

  it('cuts a torn tail of the active segment with a warn report, after copying it aside; appends follow the last valid record', async () => {
    const { log } = await recovered();
    await appendAll(log, ['first', 'second']);
    await log.close();
    const garbage = Buffer.from('RMQ5 half a record');
    await fs.appendFile(segmentPath(0), garbage);

    const { log: reopened, records, report } = await recovered();
    expect(records.map((record) => record.payload)).toEqual(['first', 'second']);
    expect(report.truncatedBytes).toBe(garbage.length);
    expect(damage.entries).toMatchObject([{ kind: 'torn-tail', length: garbage.length }]);
    expect(corrupt).toBe(0);
    expect(await fs.readFile(path.join(dir, damage.entries[0].copiedTo as string))).toEqual(garbage);
    await appendAll(reopened, ['third']);
    await reopened.close();
    expect((await recovered()).records.map((record) => record.payload)).toEqual(['first', 'second', 'third']);
  });

  it('reports damage below a known durable end as corruption, not as a torn write', async () => {
    const { log } = await recovered();
    const [, second] = await appendAll(log, ['first', 'second']);
    await log.close();
    const data = await fs.readFile(segmentPath(0));
    data[second + RECORD_OVERHEAD_BYTES] ^= 0x01;
    await fs.writeFile(segmentPath(0), data);
    const reopened = await openLog();
    const result = await reopened.scanSegment(reopened.active, 0, () => undefined);
    await reopened.cutTail(result.tail?.offset ?? data.length, data.length);
    expect(damage.entries).toMatchObject([{ kind: 'corrupt', offset: second }]);
    expect(corrupt).toBe(1);
  });

  it('throws a DamagedRecordError when a record read back fails its checksum', async () => {
    const { log } = await recovered();
    const [position] = await appendAll(log, ['payload']);
    const handle = await fs.open(segmentPath(0), 'r+');
    await handle.write(Buffer.from([0xff]), 0, 1, position + RECORD_OVERHEAD_BYTES);
    await handle.close();
    await expect(log.read(position)).rejects.toThrow(/damaged record .* crc mismatch/);
  });
});
