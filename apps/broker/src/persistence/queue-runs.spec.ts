import { describe, expect, it } from 'vitest';
import { decodeRuns, type QueueRun, QueueRunsBuilder, type RunRow } from './queue-runs';

const row = (topicId: number, queueId: number, offset: number, position: number): RunRow => ({
  topicId,
  queueId,
  offset,
  position,
  size: 100 + offset,
  tagHash: 7 * offset,
  groupHash: queueId === 0 ? 0 : 0xffff0000 + offset,
});

/** Encodes, then decodes from an 8-byte-aligned copy, as a sealed index is read back. */
function roundTrip(builder: QueueRunsBuilder): QueueRun[] {
  const encoded = builder.encode();
  const aligned = Buffer.allocUnsafeSlow(encoded.length);
  encoded.copy(aligned);
  const runs = decodeRuns(aligned);
  if (!runs) throw new Error('the section did not decode');
  return runs;
}

const plain = (run: QueueRun) => ({
  topicId: run.topicId,
  queueId: run.queueId,
  firstOffset: run.firstOffset,
  positions: [...run.positions],
  sizes: [...run.sizes],
  tagHashes: [...run.tagHashes],
  groupHashes: [...run.groupHashes],
});

describe('QueueRunsBuilder', () => {
  it('groups interleaved queues into one run each, in the order they first appear, with every column', () => {
    const builder = new QueueRunsBuilder();
    const rows = [row(1, 2, 10, 0), row(1, 0, 5, 1100), row(1, 2, 11, 2200), row(1, 0, 6, 3300), row(1, 2, 12, 4400)];
    rows.forEach((r) => builder.add(r));
    expect(roundTrip(builder).map(plain)).toEqual([
      { topicId: 1, queueId: 2, firstOffset: 10, positions: [0, 2200, 4400], sizes: [110, 111, 112], tagHashes: [70, 77, 84], groupHashes: [0xffff000a, 0xffff000b, 0xffff000c] },
      { topicId: 1, queueId: 0, firstOffset: 5, positions: [1100, 3300], sizes: [105, 106], tagHashes: [35, 42], groupHashes: [0, 0] },
    ]);
  });

  it('starts a new run where a queue skips an offset, and keeps topics with the same queue id apart', () => {
    const builder = new QueueRunsBuilder();
    [row(1, 0, 0, 0), row(1, 0, 1, 10), row(2, 0, 0, 20), row(1, 0, 5, 30), row(1, 0, 6, 40)].forEach((r) => builder.add(r));
    expect(roundTrip(builder).map((run) => [run.topicId, run.queueId, run.firstOffset, [...run.positions]])).toEqual([
      [1, 0, 0, [0, 10]],
      [2, 0, 0, [20]],
      [1, 0, 5, [30, 40]],
    ]);
  });

  it('keeps every entry when a run outgrows its first columns, many times over', () => {
    const builder = new QueueRunsBuilder();
    const count = 5_000;
    for (let offset = 0; offset < count; offset++) builder.add(row(3, 1, offset, offset * 1100 + 0.5 * 2 ** 40));
    const [run] = roundTrip(builder);
    expect(run.positions).toHaveLength(count);
    expect(run.positions[count - 1]).toBe((count - 1) * 1100 + 0.5 * 2 ** 40);
    expect(run.sizes[4_321]).toBe(100 + 4_321);
    expect(run.groupHashes[count - 1]).toBe(0xffff0000 + count - 1);
  });

  it('encodes no entries as a section of no runs', () => {
    expect(roundTrip(new QueueRunsBuilder())).toEqual([]);
  });
});
