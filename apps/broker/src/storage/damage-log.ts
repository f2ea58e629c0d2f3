import { join } from 'node:path';
import type { Logger } from 'pino';
import { type FileSystem, writeFileAtomically } from './file-system';

export type DamageKind = 'corrupt' | 'torn-tail';

export interface Damage {
  kind: DamageKind;
  /** The damaged file, relative to the data directory. */
  file: string;
  /** Byte offset and length of the damaged stretch in that file. */
  offset: number;
  length: number;
  reason: string;
  /** Where the damaged bytes were copied before anything was cut or skipped (relative to the data directory). */
  copiedTo?: string;
  at: string;
}

/**
 * Every stretch of bytes storage could not read, found by recovery scans or by reads: the bytes are
 * copied aside into `damaged/` first, then the damage is logged (error for corruption, warn for the
 * torn tail a crash leaves) and counted. The admin API lists what was found since start.
 */
export class DamageLog {
  private readonly found: Damage[] = [];

  constructor(
    private readonly fileSystem: FileSystem,
    private readonly dataDir: string,
    private readonly logger: Logger,
    private readonly onCorrupt: (damage: Damage) => void,
  ) {}

  get entries(): readonly Damage[] {
    return this.found;
  }

  /** `path` is absolute; `bytes` are the damaged bytes themselves when the caller has them. */
  async report(kind: DamageKind, path: string, offset: number, length: number, reason: string, bytes?: Buffer): Promise<Damage> {
    const file = this.relative(path);
    const damage: Damage = { kind, file, offset, length, reason, at: new Date().toISOString() };
    if (bytes && bytes.length > 0) {
      damage.copiedTo = join('damaged', `${file.replaceAll('/', '_')}@${offset}+${length}.bin`);
      try {
        await this.fileSystem.mkdir(join(this.dataDir, 'damaged'));
        await writeFileAtomically(this.fileSystem, join(this.dataDir, damage.copiedTo), bytes);
      } catch (error) {
        this.logger.error({ err: error, file, offset }, 'could not copy damaged bytes aside');
        damage.copiedTo = undefined;
      }
    }
    this.found.push(damage);
    if (kind === 'corrupt') {
      this.onCorrupt(damage);
      this.logger.error(damage, 'storage damage: records in this range are lost');
    } else {
      this.logger.warn(damage, 'torn tail after an unfinished write: cut');
    }
    return damage;
  }

  private relative(path: string): string {
    return path.startsWith(`${this.dataDir}/`) ? path.slice(this.dataDir.length + 1) : path;
  }
}
