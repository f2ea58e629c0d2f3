import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeBrokerConfig, type BrokerConfigFile } from './broker-config';

/** The compiled broker (`npx nx run broker:build`). */
const BROKER_MAIN = join(dirname(require.resolve('@rocketmq-shop/broker/package.json')), 'dist/src/main.js');
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
const KEPT_OUTPUT_LINES = 300;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Running {
  child: ChildProcess;
  exited: Promise<Exit>;
}

/**
 * The broker as a child process: `node main.js --port … --admin-port 0 --data-dir <tmp> --config <tmp>/broker.json`.
 * Ready once it has printed `broker listening on <host:port>` and `admin listening on <url>`.
 */
export class BrokerProcess {
  /** `host:port` of the gRPC endpoint, as printed by the broker; stable across restarts. */
  endpoint = '';
  adminUrl = '';
  #running?: Running;
  readonly #output: string[] = [];

  private constructor(
    readonly workDir: string,
    readonly dataDir: string,
    readonly configPath: string,
  ) {}

  static async start(config: BrokerConfigFile = {}): Promise<BrokerProcess> {
    const workDir = mkdtempSync(join(tmpdir(), 'broker-it-'));
    const broker = new BrokerProcess(workDir, join(workDir, 'data'), writeBrokerConfig(workDir, config));
    try {
      await broker.#launch(0);
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
    return broker;
  }

  get port(): number {
    return Number(this.endpoint.split(':').pop());
  }

  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  /** The last lines the broker wrote (stdout and stderr), for failure messages. */
  get output(): string {
    return this.#output.join('\n');
  }

  /** SIGTERM, then wait for the process to exit; returns its exit code. */
  async stop(): Promise<number | null> {
    const exit = await this.#signal('SIGTERM', STOP_TIMEOUT_MS);
    return exit.code;
  }

  /** SIGKILL: a crash, nothing is flushed. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL', STOP_TIMEOUT_MS);
  }

  /** Start again on the same gRPC port and data directory (the admin port may change). */
  async restart(): Promise<void> {
    if (this.#running) throw new Error('broker is still running; stop() or kill() it first');
    await this.#launch(this.port);
  }

  /** Stop the broker if it runs (killing it if SIGTERM is not enough) and delete its files. */
  async dispose(): Promise<void> {
    try {
      if (this.#running) await this.stop();
    } catch {
      if (this.#running) await this.kill();
    } finally {
      rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  async #signal(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    const running = this.#running;
    if (!running) throw new Error('broker is not running');
    running.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`broker did not exit within ${timeoutMs} ms of ${signal}\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([running.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #remember(line: string): void {
    this.#output.push(line);
    if (this.#output.length > KEPT_OUTPUT_LINES) this.#output.shift();
  }

  #launch(port: number): Promise<void> {
    const args = [BROKER_MAIN, '--port', String(port), '--admin-port', '0', '--data-dir', this.dataDir, '--config', this.configPath];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: process.env.BROKER_TEST_LOG_LEVEL ?? 'warn' },
    });
    const exited = new Promise<Exit>((resolveExit) => {
      child.once('exit', (code, signal) => {
        if (this.#running?.child === child) this.#running = undefined;
        resolveExit({ code, signal });
      });
    });
    this.#running = { child, exited };
    createInterface({ input: child.stderr! }).on('line', (line) => this.#remember(`[stderr] ${line}`));

    return new Promise<void>((resolveReady, rejectReady) => {
      let brokerAddress = '';
      let adminUrl = '';
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) rejectReady(error);
        else resolveReady();
      };
      const fail = (reason: string) => settle(new Error(`broker did not become ready: ${reason}\n${this.output}`));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(`no ready lines within ${READY_TIMEOUT_MS} ms`);
      }, READY_TIMEOUT_MS);
      void exited.then((exit) => fail(`exited with code ${exit.code} signal ${exit.signal}`));

      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.#remember(line);
        brokerAddress ||= /^broker listening on (\S+)$/.exec(line)?.[1] ?? '';
        adminUrl ||= /^admin listening on (\S+)$/.exec(line)?.[1] ?? '';
        if (brokerAddress && adminUrl && !settled) {
          this.endpoint = brokerAddress;
          this.adminUrl = adminUrl;
          settle();
        }
      });
    });
  }
}
