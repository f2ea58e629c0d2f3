import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The compiled broker next to this file's dist/bench directory. */
export const BROKER_MAIN = resolve(__dirname, '../../src/main.js');

const CLOCK_TICKS_PER_SECOND = 100;

/** The broker as a child process on free ports, for measuring start-up, memory and CPU from outside. */
export class BrokerChild {
  endpoint = '';
  adminUrl = '';
  /** Milliseconds from spawn to "broker listening". */
  readyMs = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly config: object,
    private readonly main: string = BROKER_MAIN,
  ) {}

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('broker not running');
    return this.child.pid;
  }

  async start(): Promise<void> {
    const configPath = join(this.dataDir, '..', `broker-${Date.now()}.json`);
    writeFileSync(configPath, JSON.stringify(this.config));
    const started = performance.now();
    const nodeArgs = process.env.BENCH_BROKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, this.main, '--port', '0', '--admin-port', '0', '--data-dir', this.dataDir, '--config', configPath], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const output: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await new Promise<void>((ready, fail) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        output.push(line);
        const grpc = /^broker listening on (\S+)$/.exec(line);
        const admin = /^admin listening on (\S+)$/.exec(line);
        if (grpc) {
          this.endpoint = grpc[1];
          this.readyMs = performance.now() - started;
        }
        if (admin) this.adminUrl = admin[1];
        if (this.endpoint && this.adminUrl) ready();
      });
      child.once('exit', (code) => fail(new Error(`broker exited with ${code} before it was ready:\n${output.join('\n').slice(-3000)}`)));
    });
  }

  /** SIGTERM and wait. */
  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await this.exited;
  }

  /** SIGKILL: a crash. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  residentMiB(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  }

  /** User + system CPU seconds used so far. */
  cpuSeconds(): number {
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }
}
