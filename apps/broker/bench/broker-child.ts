import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { withTimeout } from './harness';

/** The compiled broker, next to this file's dist/bench directory. */
const BROKER_MAIN = resolve(__dirname, '../src/main.js');
const STARTUP_MS = 20_000;
const SHUTDOWN_MS = 15_000;

/** apps/broker as a child process on free ports with a temp data dir (fsync on, the default) and one topic. */
export class BrokerChild {
  readonly #workDir = mkdtempSync(join(tmpdir(), 'broker-bench-'));
  #broker: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  /** @param nodeArgs extra node flags for the broker process, e.g. `--cpu-prof` */
  constructor(private readonly nodeArgs: string[]) {}

  get pid(): number | undefined {
    return this.#broker?.pid;
  }

  /** Spawns the broker and resolves with its gRPC address once it printed its ready line. */
  start(topic: { name: string; queues: number; type: string }): Promise<string> {
    const config = join(this.#workDir, 'broker.json');
    writeFileSync(config, JSON.stringify({ topics: [topic] }));
    const args = [...this.nodeArgs, BROKER_MAIN, '--port', '0', '--admin-port', '0', '--data-dir', join(this.#workDir, 'data'), '--config', config];
    const broker = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    this.#broker = broker;
    this.#exited = new Promise((resolveExit) => broker.once('exit', () => resolveExit()));
    const ready = new Promise<string>((resolveReady, rejectReady) => {
      // stdout is read to the end so that the broker never blocks on a full pipe.
      createInterface({ input: broker.stdout! }).on('line', (line) => {
        const address = /^broker listening on (\S+)$/.exec(line)?.[1];
        if (address) resolveReady(address);
      });
      void this.#exited.then(() => rejectReady(new Error(`broker exited with code ${broker.exitCode}`)));
    });
    return withTimeout(ready, STARTUP_MS, 'broker startup');
  }

  /** SIGTERM (SIGKILL if it lingers), then deletes the data. */
  async stop(): Promise<void> {
    this.#broker?.kill('SIGTERM');
    await withTimeout(this.#exited, SHUTDOWN_MS, 'broker exit').catch(() => this.#broker?.kill('SIGKILL'));
    rmSync(this.#workDir, { recursive: true, force: true });
  }
}
