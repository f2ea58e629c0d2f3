import type { Segment } from './segment';

/** Consecutive records bound for one segment file, written with a single writev call. */
export interface WriteChunk {
  readonly segment: Segment;
  readonly fileOffset: number;
  readonly records: Buffer[];
}

/** Appends committed together: one (synced) write per segment they touch. */
export class WriteBatch {
  readonly chunks: WriteChunk[] = [];
  /** Global position just past the batch's last record. */
  endPosition = 0;
  /** Holds a record someone waits on: the batch is written as soon as the log can (deferred ones wait). */
  urgent = false;
  readonly durable: Promise<void>;
  private resolveDurable!: () => void;
  private rejectDurable!: (error: Error) => void;

  constructor() {
    this.durable = new Promise<void>((resolve, reject) => {
      this.resolveDurable = resolve;
      this.rejectDurable = reject;
    });
    // Fire-and-forget appends may never look at `durable`. A failure still reaches everyone who awaits it,
    // flush(), close() and every later append, so it need not also crash the process as an unhandled rejection.
    this.durable.catch(() => undefined);
  }

  add(segment: Segment, fileOffset: number, record: Buffer): void {
    const last = this.chunks.at(-1);
    if (last?.segment === segment) last.records.push(record);
    else this.chunks.push({ segment, fileOffset, records: [record] });
    this.endPosition = segment.base + fileOffset + record.length;
  }

  settle(error?: Error): void {
    if (error) this.rejectDurable(error);
    else this.resolveDurable();
    this.chunks.length = 0; // release the record buffers
  }
}
