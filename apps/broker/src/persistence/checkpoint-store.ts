import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { SubscriptionSnapshot } from '../consumption/subscription';
import type { StagedSnapshot } from '../messaging/staging';
import type { DamageLog } from '../storage/damage-log';
import { type FileSystem, writeFileAtomically } from '../storage/file-system';
import type { Metadata } from './metadata-store';

/**
 * The broker's state at one moment: everything the message log and the state journal imply up to
 * `logPosition` and `journalPosition`. Recovery loads it and replays only what follows, so restart
 * time is bounded by the checkpoint interval, not by the length of the log.
 */
export interface Checkpoint {
  sequence: number;
  takenAt: number;
  /** Staged-message events in the message log from here on are not in `staged`. */
  logPosition: number;
  /** State-journal records from here on are not in `groups`. */
  journalPosition: number;
  metadata: Metadata;
  /** Per topic id, the next offset of each queue: offsets continue there even when retention left a queue empty. */
  queueEnds: Record<number, number[]>;
  staged: StagedSnapshot[];
  groups: { name: string; subscriptions: SubscriptionSnapshot[] }[];
  /** `<group> <offset>` of dead-letter copies already handed back to their group. */
  replayedDeadLetters: string[];
}

const FILE = /^checkpoint-(\d{12})\.bin$/;
const MAGIC = 0x43514d52; // "RMQC"
const KEEP = 2;

/**
 * Checkpoints as `state/checkpoint-<sequence>.bin`, each [magic][u32 length][u32 crc32][JSON],
 * written atomically. The newest two are kept: if the newest is damaged, the one before it (and the
 * journal and log behind it, which are kept as long as it is) still recover the broker.
 */
export class CheckpointStore {
  private retained: Checkpoint[] = [];

  constructor(
    private readonly fileSystem: FileSystem,
    private readonly dir: string,
    private readonly damage: DamageLog,
  ) {}

  /** The newest readable checkpoint; damaged ones are reported and skipped. */
  async load(): Promise<Checkpoint | undefined> {
    await this.fileSystem.mkdir(this.dir);
    const names = (await this.fileSystem.list(this.dir)).filter((name) => FILE.test(name)).sort();
    const readable: Checkpoint[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const data = await this.fileSystem.readFile(path);
      const checkpoint = decode(data);
      if (checkpoint) readable.push(checkpoint);
      else await this.damage.report('corrupt', path, 0, data.length, 'checkpoint fails its checksum', data);
    }
    this.retained = readable.slice(-KEEP);
    return this.newest;
  }

  /** The oldest checkpoint kept: logs and journals behind it must stay until a newer one replaces it. */
  get oldest(): Checkpoint | undefined {
    return this.retained[0];
  }

  get newest(): Checkpoint | undefined {
    return this.retained.at(-1);
  }

  async write(checkpoint: Checkpoint): Promise<void> {
    const json = Buffer.from(JSON.stringify(checkpoint));
    const header = Buffer.alloc(12);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(json.length, 4);
    header.writeUInt32LE(crc32(json), 8);
    await writeFileAtomically(this.fileSystem, join(this.dir, fileName(checkpoint.sequence)), Buffer.concat([header, json]));
    this.retained = [...this.retained, checkpoint].slice(-KEEP);
    const keep = new Set(this.retained.map((c) => fileName(c.sequence)));
    for (const name of await this.fileSystem.list(this.dir)) {
      if (FILE.test(name) && !keep.has(name)) await this.fileSystem.remove(join(this.dir, name));
    }
  }
}

function fileName(sequence: number): string {
  return `checkpoint-${String(sequence).padStart(12, '0')}.bin`;
}

function decode(data: Buffer): Checkpoint | undefined {
  if (data.length < 12 || data.readUInt32LE(0) !== MAGIC) return undefined;
  const length = data.readUInt32LE(4);
  const json = data.subarray(12, 12 + length);
  if (json.length !== length || crc32(json) !== data.readUInt32LE(8)) return undefined;
  try {
    return JSON.parse(json.toString('utf8')) as Checkpoint;
  } catch {
    return undefined;
  }
}
