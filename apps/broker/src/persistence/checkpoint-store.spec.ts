import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamageLog } from '../storage/damage-log';
import { nodeFileSystem } from '../storage/file-system';
import { type Checkpoint, CheckpointStore } from './checkpoint-store';

let dir: string;
let damage: DamageLog;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'checkpoints-'));
  damage = new DamageLog(nodeFileSystem, dir, pino({ level: 'silent' }), () => undefined);
});

afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const checkpoint = (sequence: number): Checkpoint => ({
  sequence,
  takenAt: sequence * 1000,
  logPosition: sequence * 100,
  journalPosition: sequence * 10,
  metadata: { nextTopicId: 1, topics: [], groups: [] },
  queueEnds: {},
  staged: [],
  groups: [],
  replayedDeadLetters: [],
});

const store = () => new CheckpointStore(nodeFileSystem, path.join(dir, 'state'), damage);
const files = async () => (await fs.readdir(path.join(dir, 'state'))).sort();

describe('CheckpointStore', () => {
  it('keeps the newest two and loads the newest', async () => {
    const writer = store();
    await writer.load();
    for (const sequence of [1, 2, 3]) await writer.write(checkpoint(sequence));
    expect(await files()).toEqual(['checkpoint-000000000002.bin', 'checkpoint-000000000003.bin']);
    const reader = store();
    expect((await reader.load())?.sequence).toBe(3);
    expect(reader.oldest?.sequence).toBe(2);
  });

  it('falls back to the previous checkpoint when the newest is damaged, and reports it', async () => {
    const writer = store();
    await writer.load();
    await writer.write(checkpoint(1));
    await writer.write(checkpoint(2));
    const newest = path.join(dir, 'state', 'checkpoint-000000000002.bin');
    const data = await fs.readFile(newest);
    data[data.length - 5] ^= 0x04;
    await fs.writeFile(newest, data);
    const reader = store();
    expect(await reader.load()).toEqual(checkpoint(1));
    expect(damage.entries).toMatchObject([{ kind: 'corrupt', file: 'state/checkpoint-000000000002.bin' }]);
  });

  it('starts with none on an empty directory', async () => {
    expect(await store().load()).toBeUndefined();
  });
});
