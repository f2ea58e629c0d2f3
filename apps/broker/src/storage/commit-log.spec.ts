import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommitLog, type CommitLogOptions, type RecoveryReport } from './commit-log';
import { segmentFileName } from './segment';

interface ReplayedRecord {
  type: number;
  payload: string;
  position: number;
  timestampMs: number;
}

const RECORD_OVERHEAD = 17; // length + crc + type + timestamp

let dir: string;
const openLogs: CommitLog[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'commit-log-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await Promise.allSettled(openLogs.splice(0).map((log) => log.close()));
  await fs.rm(dir, { recursive: true, force: true });
});

async function openLog(options: Partial<CommitLogOptions> = {}): Promise<CommitLog> {
  const log = await CommitLog.open(dir, { segmentBytes: 1024 * 1024, fsync: true, ...options });
  openLogs.push(log);
  return log;
}

async function replayAll(log: CommitLog): Promise<{ report: RecoveryReport; records: ReplayedRecord[] }> {
  const records: ReplayedRecord[] = [];
  const report = await log.replay((type, payload, position, timestampMs) =>
    records.push({ type, payload: payload.toString(), position, timestampMs }),
  );
  return { report, records };
}

/** Opens, replays and returns a log ready for appends. */
async function readyLog(options: Partial<CommitLogOptions> = {}): Promise<CommitLog> {
  const log = await openLog(options);
  await log.replay(() => undefined);
  return log;
}

async function appendAll(log: CommitLog, payloads: string[]): Promise<number[]> {
  const results = payloads.map((payload) => log.append(1, Buffer.from(payload)));
  await Promise.all(results.map((result) => result.durable));
  return results.map((result) => result.position);
}

async function reopen(log: CommitLog, options: Partial<CommitLogOptions> = {}) {
  await log.close();
  return replayAll(await openLog(options));
}

const segmentPath = (base: number) => path.join(dir, segmentFileName(base));
const fileSize = async (file: string) => (await fs.stat(file)).size;
const segmentFiles = async () => (await fs.readdir(dir)).filter((name) => name.endsWith('.log')).sort();

/** The FileHandle prototype, to inject I/O failures into the log's own handles. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const probe = await fs.open(path.join(dir, 'probe'), 'w');
  await probe.close();
  return Object.getPrototypeOf(probe) as FileHandle;
}

describe('CommitLog append, replay and read', () => {
  it('creates a missing directory and starts empty', async () => {
    const nested = path.join(dir, 'nested', 'log');
    const log = await CommitLog.open(nested, { segmentBytes: 1024, fsync: true });
    openLogs.push(log);
    const { report, records } = await replayAll(log);
    expect(records).toEqual([]);
    expect(report).toEqual({ segments: 0, records: 0, bytes: 0, truncatedBytes: 0, corruptSegments: [] });
    expect((await fs.stat(nested)).isDirectory()).toBe(true);
  });

  it('replays records in append order with their type, position and append time', async () => {
    const log = await readyLog();
    const before = Date.now();
    const first = log.append(7, Buffer.from('alpha'));
    const second = log.append(255, Buffer.alloc(0));
    const third = log.append(0, Buffer.from('gamma'));
    await log.flush();
    const after = Date.now();

    expect(first.position).toBe(0);
    expect(second.position).toBe(RECORD_OVERHEAD + 5);
    expect(third.position).toBe(2 * RECORD_OVERHEAD + 5);
    expect(log.endPosition).toBe(3 * RECORD_OVERHEAD + 10);
    expect(log.sizeBytes).toBe(log.endPosition);

    const { report, records } = await reopen(log);
    expect(records.map(({ type, payload, position }) => ({ type, payload, position }))).toEqual([
      { type: 7, payload: 'alpha', position: first.position },
      { type: 255, payload: '', position: second.position },
      { type: 0, payload: 'gamma', position: third.position },
    ]);
    for (const { timestampMs } of records) {
      expect(timestampMs).toBeGreaterThanOrEqual(before);
      expect(timestampMs).toBeLessThanOrEqual(after);
    }
    expect(report).toEqual({ segments: 1, records: 3, bytes: 3 * RECORD_OVERHEAD + 10, truncatedBytes: 0, corruptSegments: [] });
  });

  it('reads back payloads, including records still queued for writing', async () => {
    const log = await readyLog();
    const durable = await appendAll(log, ['one', 'two']);
    const queued = log.append(3, Buffer.from('three'));

    expect((await log.read(queued.position)).toString()).toBe('three');
    expect((await log.read(durable[1])).toString()).toBe('two');
    expect((await log.read(durable[0])).toString()).toBe('one');
  });

  it('rejects reads of positions that hold no record', async () => {
    const log = await readyLog();
    const [position] = await appendAll(log, ['payload']);
    await expect(log.read(log.endPosition)).rejects.toThrow(RangeError);
    await expect(log.read(-1)).rejects.toThrow(RangeError);
    await expect(log.read(position + 3)).rejects.toThrow(/no valid record/);
  });

  it('keeps state across reopen: appends continue at the old end', async () => {
    const log = await readyLog();
    await appendAll(log, ['a', 'b']);
    const end = log.endPosition;
    await log.close();

    const reopened = await readyLog();
    expect(reopened.endPosition).toBe(end);
    const [position] = await appendAll(reopened, ['c']);
    expect(position).toBe(end);
    const { records } = await reopen(reopened);
    expect(records.map((record) => record.payload)).toEqual(['a', 'b', 'c']);
  });

  it('enforces its call order', async () => {
    const log = await openLog();
    expect(() => log.append(1, Buffer.from('x'))).toThrow(/before replay/);
    await log.replay(() => undefined);
    await expect(log.replay(() => undefined)).rejects.toThrow(/exactly once/);
    expect(() => log.append(256, Buffer.from('x'))).toThrow(RangeError);
    await log.close();
    expect(() => log.append(1, Buffer.from('x'))).toThrow(/closed/);
  });
});

describe('CommitLog group commit', () => {
  it('writes a burst of 2000 concurrent appends with a handful of write+fdatasync calls', async () => {
    const log = await readyLog();
    const payloads = Array.from({ length: 2000 }, (_, i) => `message-${i}`);
    await appendAll(log, payloads);

    const { writes, syncs } = log.stats;
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThanOrEqual(2);
    expect(writes).toBe(syncs); // one write per fdatasync: each batch is a single write call
    const { records } = await reopen(log);
    expect(records.map((record) => record.payload)).toEqual(payloads);
  });

  it('accumulates appends that arrive while a sync is in flight into the next batch', async () => {
    const log = await readyLog();
    const producers = 20;
    const perProducer = 100;
    // Each producer awaits durability before its next append, so batches can only form from concurrent producers.
    await Promise.all(
      Array.from({ length: producers }, async (_, producer) => {
        for (let i = 0; i < perProducer; i++) await log.append(1, Buffer.from(`${producer}:${i}`)).durable;
      }),
    );

    const appends = producers * perProducer;
    expect(log.stats.syncs).toBeLessThanOrEqual(appends / 10);
    expect(log.stats.writes).toBe(log.stats.syncs);
    const { records } = await reopen(log);
    expect(records).toHaveLength(appends);
    for (let producer = 0; producer < producers; producer++) {
      const own = records.filter((record) => record.payload.startsWith(`${producer}:`));
      expect(own.map((record) => record.payload)).toEqual(Array.from({ length: perProducer }, (_, i) => `${producer}:${i}`));
    }
  });

  it('does not fdatasync when fsync is off', async () => {
    const log = await readyLog({ fsync: false });
    await appendAll(log, ['a', 'b', 'c']);
    expect(log.stats).toEqual({ writes: 1, syncs: 0 });
  });

  it('rejects the failing batch and every later append when fdatasync fails', async () => {
    const log = await readyLog();
    await appendAll(log, ['before']);
    const failure = new Error('EIO: simulated fdatasync failure');
    vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValueOnce(failure);

    const batch = [log.append(1, Buffer.from('x')), log.append(1, Buffer.from('y'))];
    for (const { durable } of batch) await expect(durable).rejects.toBe(failure);
    await expect(log.append(1, Buffer.from('later')).durable).rejects.toBe(failure);
    await expect(log.flush()).rejects.toBe(failure);
    await expect(log.close()).rejects.toBe(failure);
  });

  it('rejects the batch when the write fails', async () => {
    const log = await readyLog();
    const failure = new Error('ENOSPC: simulated write failure');
    vi.spyOn(await fileHandlePrototype(), 'write').mockRejectedValueOnce(failure);

    await expect(log.append(1, Buffer.from('x')).durable).rejects.toBe(failure);
    await expect(log.append(1, Buffer.from('y')).durable).rejects.toBe(failure);
    expect(log.stats.syncs).toBe(0);
  });
});

describe('CommitLog crash recovery', () => {
  /** Writes three records, closes, lets `damage` mangle the file, then checks recovery keeps `expected`. */
  async function recoverAfter(damage: (file: string, lastPosition: number) => Promise<void>, expected: string[]) {
    const log = await readyLog();
    const positions = await appendAll(log, ['first', 'second', 'third']);
    await log.close();
    const file = segmentPath(0);
    const sizeBefore = await fileSize(file);
    await damage(file, positions[2]);
    const damagedSize = await fileSize(file);

    const recovered = await openLog();
    const { report, records } = await replayAll(recovered);
    const validEnd = expected.length === 3 ? sizeBefore : positions[2];
    expect(records.map((record) => record.payload)).toEqual(expected);
    expect(await fileSize(file)).toBe(validEnd);
    expect(report.truncatedBytes).toBe(damagedSize - validEnd);
    expect(report.corruptSegments).toEqual([]);

    const [next] = await appendAll(recovered, ['after-recovery']);
    expect(next).toBe(validEnd);
    const again = await reopen(recovered);
    expect(again.records.map((record) => record.payload)).toEqual([...expected, 'after-recovery']);
    expect(again.report.truncatedBytes).toBe(0);
  }

  it('truncates garbage appended after the last record', async () => {
    await recoverAfter((file) => fs.appendFile(file, Buffer.from('garbage that is no record')), ['first', 'second', 'third']);
  });

  it('truncates garbage that starts with a plausible length', async () => {
    const garbage = Buffer.alloc(40, 0xab);
    garbage.writeUInt32LE(32, 0);
    await recoverAfter((file) => fs.appendFile(file, garbage), ['first', 'second', 'third']);
  });

  it('truncates a last record cut in half', async () => {
    await recoverAfter(async (file, last) => {
      const size = await fileSize(file);
      await fs.truncate(file, last + Math.floor((size - last) / 2));
    }, ['first', 'second']);
  });

  it('truncates a last record with a flipped byte', async () => {
    await recoverAfter(async (file, last) => {
      const data = await fs.readFile(file);
      data[last + RECORD_OVERHEAD + 2] ^= 0xff;
      await fs.writeFile(file, data);
    }, ['first', 'second']);
  });

  it('skips the rest of an older segment with a corrupt record and continues with the next', async () => {
    const log = await readyLog({ segmentBytes: 100 });
    const payloads = Array.from({ length: 12 }, (_, i) => `record-${String(i).padStart(2, '0')}`);
    const positions = await appendAll(log, payloads);
    await log.close();
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(2);

    // Corrupt the second record of the first segment.
    const firstFile = path.join(dir, files[0]);
    const data = await fs.readFile(firstFile);
    data[positions[1] + RECORD_OVERHEAD] ^= 0xff;
    await fs.writeFile(firstFile, data);

    const { report, records } = await replayAll(await openLog({ segmentBytes: 100 }));
    const firstSegmentRecords = positions.filter((position) => position < Number(files[1].slice(0, 20))).length;
    expect(report.corruptSegments).toEqual([files[0]]);
    expect(report.truncatedBytes).toBe(0);
    expect(await fs.readFile(firstFile)).toEqual(data);
    expect(records.map((record) => record.payload)).toEqual([payloads[0], ...payloads.slice(firstSegmentRecords)]);
  });
});

describe('CommitLog segments', () => {
  it('rolls segments named by base position and addresses records across them', async () => {
    const log = await readyLog({ segmentBytes: 100 });
    const payloads = Array.from({ length: 20 }, (_, i) => `payload-${i}`);
    const positions = await appendAll(log, payloads);

    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]).toBe('00000000000000000000.log');
    let expectedBase = 0;
    for (const name of files) {
      expect(name).toMatch(/^\d{20}\.log$/);
      expect(Number(name.slice(0, 20))).toBe(expectedBase);
      const size = await fileSize(path.join(dir, name));
      if (name !== files.at(-1)) expect(size).toBeGreaterThanOrEqual(100);
      expectedBase += size;
    }
    expect(log.endPosition).toBe(expectedBase);
    for (const [i, position] of positions.entries()) expect((await log.read(position)).toString()).toBe(payloads[i]);

    const { report, records } = await reopen(log, { segmentBytes: 100 });
    expect(report.segments).toBe(files.length);
    expect(records.map(({ payload, position }) => [payload, position])).toEqual(payloads.map((p, i) => [p, positions[i]]));
  });

  it('truncates a torn tail in the last of several segments', async () => {
    const log = await readyLog({ segmentBytes: 100 });
    await appendAll(log, Array.from({ length: 10 }, (_, i) => `payload-${i}`));
    await log.close();
    const files = await segmentFiles();
    const last = path.join(dir, files.at(-1)!);
    const size = await fileSize(last);
    await fs.truncate(last, size - 3);

    const { report, records } = await replayAll(await openLog({ segmentBytes: 100 }));
    expect(records).toHaveLength(9);
    expect(report.truncatedBytes).toBe(size - 3 - (await fileSize(last)));
    expect(report.corruptSegments).toEqual([]);
  });
});

describe('CommitLog retention', () => {
  /** With segmentBytes 1 every record gets its own segment; each is appended at its own mocked time. */
  async function oneRecordPerSegment(appendTimes: number[]): Promise<{ log: CommitLog; positions: number[] }> {
    vi.useFakeTimers({ toFake: ['Date'] });
    const log = await readyLog({ segmentBytes: 1 });
    const positions: number[] = [];
    for (const [i, time] of appendTimes.entries()) {
      vi.setSystemTime(time);
      positions.push(...(await appendAll(log, [`record-${i}`])));
    }
    return { log, positions };
  }

  const recordBytes = RECORD_OVERHEAD + 'record-0'.length;

  it('deletes segments whose newest record is older than maxAgeMs', async () => {
    const t0 = 1_700_000_000_000;
    const { log, positions } = await oneRecordPerSegment([t0, t0 + 1000, t0 + 2000, t0 + 3000]);

    const first = await log.enforceRetention({ maxAgeMs: 1500, maxBytes: Infinity }, t0 + 3000);
    expect(first).toBe(positions[2]);
    expect(log.firstPosition).toBe(positions[2]);
    expect(await segmentFiles()).toEqual([segmentFileName(positions[2]), segmentFileName(positions[3])]);
    expect(log.sizeBytes).toBe(2 * recordBytes);
    await expect(log.read(positions[1])).rejects.toThrow(/removed by retention/);
    expect((await log.read(positions[2])).toString()).toBe('record-2');
  });

  it('never deletes the active segment', async () => {
    const t0 = 1_700_000_000_000;
    const { log, positions } = await oneRecordPerSegment([t0, t0 + 1, t0 + 2]);

    expect(await log.enforceRetention({ maxAgeMs: 0, maxBytes: 0 }, t0 + 1_000_000)).toBe(positions[2]);
    expect(await segmentFiles()).toEqual([segmentFileName(positions[2])]);
    expect((await log.read(positions[2])).toString()).toBe('record-2');
  });

  it('deletes the oldest segments while the total size exceeds maxBytes', async () => {
    const t0 = 1_700_000_000_000;
    const { log, positions } = await oneRecordPerSegment([t0, t0, t0, t0, t0]);
    expect(log.sizeBytes).toBe(5 * recordBytes);

    const first = await log.enforceRetention({ maxAgeMs: Infinity, maxBytes: 2.5 * recordBytes }, t0);
    expect(first).toBe(positions[3]);
    expect(log.sizeBytes).toBe(2 * recordBytes);
    expect(await segmentFiles()).toHaveLength(2);
  });

  it('keeps positions stable across reopen after retention', async () => {
    const t0 = 1_700_000_000_000;
    const { log, positions } = await oneRecordPerSegment([t0, t0, t0]);
    await log.enforceRetention({ maxAgeMs: Infinity, maxBytes: recordBytes }, t0);
    const end = log.endPosition;

    const { records } = await reopen(log, { segmentBytes: 1 });
    expect(records.map(({ payload, position }) => [payload, position])).toEqual([['record-2', positions[2]]]);
    const reopened = openLogs.at(-1)!;
    expect(reopened.firstPosition).toBe(positions[2]);
    expect((await appendAll(reopened, ['next']))[0]).toBe(end);
  });
});
