import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BrokerConfigFile, writeBrokerConfig } from './broker-config';
import { ManagedProcess } from './managed-process';

/** The compiled broker (`npx nx run broker:build`). */
const BROKER_MAIN = join(dirname(require.resolve('@rocketmq-shop/broker/package.json')), 'dist/src/main.js');

/**
 * The broker as a child process: `node main.js --port … --admin-port … --data-dir <tmp> --config <tmp>/broker.json`.
 * Ready once it has printed `broker listening on <host:port>` and `admin listening on <url>`.
 */
export class BrokerProcess {
  /** `host:port` of the gRPC endpoint, as printed by the broker; stable across restarts. */
  endpoint = '';
  adminUrl = '';
  /** With auth on, a user the admin API accepts (an `auth.credentials` user, or an `auth.users` one with admin). */
  readonly adminCredentials: { accessKey: string; secretKey: string } | undefined;
  private readonly process: ManagedProcess;

  private constructor(
    readonly workDir: string,
    readonly dataDir: string,
    readonly configPath: string,
    options: { adminPort?: number; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void },
    auth: BrokerConfigFile['auth'],
  ) {
    const admin = auth?.credentials[0] ?? auth?.users?.find((user) => user.admin);
    this.adminCredentials = admin && { accessKey: admin.accessKey, secretKey: admin.secretKey };
    this.process = new ManagedProcess({
      name: 'broker',
      command: process.execPath,
      args: [BROKER_MAIN, '--admin-port', String(options.adminPort ?? 0), '--data-dir', dataDir, '--config', configPath],
      env: { LOG_LEVEL: process.env.BROKER_TEST_LOG_LEVEL ?? 'warn', ...options.env },
      readyWhen: { endpoint: /^broker listening on (\S+)$/, adminUrl: /^admin listening on (\S+)$/ },
      onLine: options.onLine,
    });
  }

  /** Ports default to 0 (free ones); a restart keeps the gRPC port, the admin port is free again unless given. */
  static async start(config: BrokerConfigFile = {}, options: { port?: number; adminPort?: number; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {}): Promise<BrokerProcess> {
    const workDir = mkdtempSync(join(tmpdir(), 'broker-it-'));
    const broker = new BrokerProcess(workDir, join(workDir, 'data'), writeBrokerConfig(workDir, config), options, config.auth);
    try {
      await broker.launch(options.port ?? 0);
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
    return this.process.isRunning;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The last lines the broker wrote (stdout and stderr), for failure messages. */
  get output(): string {
    return this.process.output;
  }

  /** SIGTERM, then wait for the process to exit; returns its exit code. */
  stop(): Promise<number | null> {
    return this.process.stop();
  }

  /** SIGKILL: a crash, nothing is flushed. */
  kill(): Promise<void> {
    return this.process.kill();
  }

  /** Start again on the same gRPC port and data directory (the admin port may change). */
  async restart(): Promise<void> {
    if (this.isRunning) throw new Error('broker is still running; stop() or kill() it first');
    await this.launch(this.port);
  }

  /** Stop the broker if it runs and delete its files. */
  async dispose(): Promise<void> {
    try {
      if (this.isRunning) await this.stop();
    } finally {
      rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  private async launch(port: number): Promise<void> {
    const ready = await this.process.start({ args: ['--port', String(port)] });
    this.endpoint = ready.endpoint;
    this.adminUrl = ready.adminUrl;
  }
}
