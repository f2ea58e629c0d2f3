import type { Logger } from 'pino';
import type { Checkpoint, CheckpointStore } from '../persistence/checkpoint-store';
import type { MessageLog } from '../persistence/message-log';
import type { StateJournal } from '../persistence/state-journal';
import type { Clock } from '../scheduling/clock';

export type CheckpointContent = Omit<Checkpoint, 'sequence' | 'takenAt' | 'logPosition' | 'journalPosition'>;

/**
 * Writes checkpoints — periodically, when the log rolls to a new segment, before retention deletes
 * segments, and at shutdown — one at a time. After each, the journal segments that no retained
 * checkpoint needs are deleted.
 */
export class Checkpointing {
  private chain: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: CheckpointStore,
    private readonly log: MessageLog,
    private readonly journal: StateJournal,
    private readonly capture: () => CheckpointContent,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get last(): Checkpoint | undefined {
    return this.store.newest;
  }

  /** A checkpoint taken after this call; requests arriving while one waits to start share it. */
  now(): Promise<void> {
    if (!this.pending) {
      this.pending = this.chain.then(() => {
        this.pending = undefined;
        return this.write();
      });
      this.chain = this.pending.catch(() => undefined);
    }
    return this.pending;
  }

  /** Fire and forget: failures are logged (the previous checkpoints and the journal still recover). Ignored once closed. */
  request(reason: string): void {
    if (this.closed) return;
    this.now().catch((error: unknown) => this.logger.error({ err: error, reason }, 'checkpoint failed'));
  }

  /** The last checkpoint, at shutdown; requests after it (a late segment roll) are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await this.now();
  }

  private async write(): Promise<void> {
    // Positions first, state right after, synchronously: the state reflects exactly the records before them.
    const logPosition = this.log.endPosition;
    const journalPosition = this.journal.endPosition;
    const content = this.capture();
    // Staged messages listed in the checkpoint must be on disk before it says "scan from logPosition", and
    // the journal's records before journalPosition (deferred ones too, ADR 0028) before it says "replay from here".
    await Promise.all([this.log.flush(), this.journal.flush()]);
    const sequence = (this.store.newest?.sequence ?? 0) + 1;
    await this.store.write({ sequence, takenAt: this.clock.now(), logPosition, journalPosition, ...content });
    const oldest = this.store.oldest;
    if (oldest) await this.journal.compact(oldest.journalPosition);
  }
}
