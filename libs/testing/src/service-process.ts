import { dirname, join } from 'node:path';
import { type Exit, ManagedProcess } from './managed-process';

export interface ServiceSpec {
  /** Workspace app: `apps/<app>`, package `@rocketmq-shop/<app>`, built to `dist/src/main.js`. */
  app: string;
  /** Distinguishes replicas (price-cache ×3); also the INSTANCE_ID. Default: the app name. */
  instance?: string;
  /** HTTP port; 0 picks a free one. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** Node options before the entry point, e.g. `--cpu-prof` (NODE_OPTIONS refuses it). */
  nodeArgs?: string[];
}

/**
 * One service of the shop as a child process, configured only by environment like in compose:
 * `<APP>_PORT`, `DATABASE_URL`, `ROCKETMQ_ENDPOINTS`, `INSTANCE_ID`. Ready when it prints
 * `<app> listening on http://…`.
 */
export class ServiceProcess {
  url = '';
  private readonly process: ManagedProcess;

  constructor(
    readonly spec: ServiceSpec,
    env: NodeJS.ProcessEnv,
    onLine?: (line: string) => void,
  ) {
    const main = join(dirname(require.resolve(`@rocketmq-shop/${spec.app}/package.json`)), 'dist/src/main.js');
    const instance = spec.instance ?? spec.app;
    this.process = new ManagedProcess({
      name: instance,
      command: process.execPath,
      args: [...(spec.nodeArgs ?? []), main],
      env: { ...env, [`${envPrefix(spec.app)}_PORT`]: String(spec.port ?? 0), INSTANCE_ID: instance, ...spec.env },
      readyWhen: { url: new RegExp(`^${spec.app} listening on (http://\\S+)$`) },
      onLine,
    });
  }

  get name(): string {
    return this.process.name;
  }

  get output(): string {
    return this.process.output;
  }

  get isRunning(): boolean {
    return this.process.isRunning;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  nextExit(): Promise<Exit | undefined> {
    return this.process.nextExit();
  }

  async start(env: NodeJS.ProcessEnv = {}): Promise<void> {
    this.url = (await this.process.start({ env })).url;
  }

  stop(): Promise<number | null> {
    return this.process.stop();
  }

  kill(): Promise<void> {
    return this.process.kill();
  }
}

export function envPrefix(app: string): string {
  return app.toUpperCase().replace(/-/g, '_');
}
