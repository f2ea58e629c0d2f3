import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { processCpuMs, withTimeout } from './harness';

/** The compiled broker, next to this file's dist/bench directory. */
export const BROKER_MAIN = resolve(__dirname, '../src/main.js');
const STARTUP_MS = 60_000;
const SHUTDOWN_MS = 15_000;

export interface BrokerChildOptions {
  /** Data directory, kept across restarts; without one, a temp directory deleted by `stop()`. */
  dataDir?: string;
  /** Another build's main.js (to compare builds in one run). */
  main?: string;
  /** Extra node flags for the broker process, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

/** apps/broker as a child process on free ports, measured from outside: start-up time, memory, CPU. */
export class BrokerChild {
  endpoint = '';
  adminUrl = '';
  /** Milliseconds from spawn to "broker listening". */
  readyMs = 0;
  private readonly dataDir: string;
  private readonly temporaryDir: string | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  /** @param config the broker's JSON configuration file (topics, storage, …) */
  constructor(
    private readonly config: object,
    private readonly options: BrokerChildOptions = {},
  ) {
    this.temporaryDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'broker-bench-'));
    this.dataDir = options.dataDir ?? join(this.temporaryDir!, 'data');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the broker; resolves with its gRPC address once it printed its ready lines. */
  async start(): Promise<string> {
    const configPath = join(dirname(this.dataDir), `broker-${Date.now()}.json`);
    writeFileSync(configPath, JSON.stringify(this.config));
    const started = performance.now();
    const args = [...(this.options.nodeArgs ?? []), this.options.main ?? BROKER_MAIN, '--port', '0', '--admin-port', '0', '--data-dir', this.dataDir, '--config', configPath];
    const child = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.endpoint = '';
    this.adminUrl = '';
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const output: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const ready = new Promise<string>((resolveReady, fail) => {
      // stdout is read to the end so that the broker never blocks on a full pipe.
      createInterface({ input: child.stdout! }).on('line', (line) => {
        output.push(line);
        const grpc = /^broker listening on (\S+)$/.exec(line)?.[1];
        const admin = /^admin listening on (\S+)$/.exec(line)?.[1];
        if (grpc) {
          this.endpoint = grpc;
          this.readyMs = performance.now() - started;
        }
        if (admin) this.adminUrl = admin;
        if (this.endpoint && this.adminUrl) resolveReady(this.endpoint);
      });
      void this.exited.then(() => fail(new Error(`broker exited with code ${child.exitCode} before it was ready:\n${output.join('\n').slice(-3000)}`)));
    });
    return withTimeout(ready, STARTUP_MS, 'broker startup');
  }

  /** SIGTERM (SIGKILL if it lingers); deletes a temp data directory. */
  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await withTimeout(this.exited, SHUTDOWN_MS, 'broker exit').catch(() => this.kill());
    if (this.temporaryDir) rmSync(this.temporaryDir, { recursive: true, force: true });
  }

  /** SIGKILL: a crash. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  residentMiB(): number {
    const status = readFileSync(`/proc/${this.runningPid()}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  }

  /** User + system CPU seconds used so far. */
  cpuSeconds(): number {
    const ms = processCpuMs([this.runningPid()]);
    if (ms === undefined) throw new Error('broker CPU time unreadable');
    return ms / 1000;
  }

  private runningPid(): number {
    if (this.child?.pid === undefined) throw new Error('broker not running');
    return this.child.pid;
  }
}
