import { type WriteStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/** `<dir>/<source>.log` per process: the console stays readable, and `tail -f` follows one service. */
export class LogFiles {
  private readonly streams = new Map<string, WriteStream>();

  constructor(readonly dir: string) {
    // Each run starts with empty logs, so what you read belongs to this run.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  write(source: string, line: string): void {
    let stream = this.streams.get(source);
    if (!stream) this.streams.set(source, (stream = createWriteStream(join(this.dir, `${source}.log`))));
    stream.write(`${line}\n`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((stream) => finished(stream.end())));
    this.streams.clear();
  }
}
