import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const KEPT_OUTPUT_LINES = 300;

export interface ManagedProcessOptions {
  /** Shown in errors and prefixes. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout lines that mean "ready"; each pattern's first capture group is returned by name. */
  readyWhen: Record<string, RegExp>;
  readyTimeoutMs?: number;
  /** Called with every output line (e.g. to print them in the demo). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process that is ready once it printed certain lines: the broker, a service, anything in
 * the local stack. Keeps its last output for error messages; stops with SIGTERM, or SIGKILL for crashes.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<Exit> | undefined;
  private readonly lines: string[] = [];

  constructor(private readonly options: ManagedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** Resolves when the running process exits, however it ends (at once with undefined if none runs). */
  async nextExit(): Promise<Exit | undefined> {
    return this.child ? this.exited : undefined;
  }

  /** Starts the process (with extra args/env) and resolves with the captures of the ready lines. */
  start(overrides: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Record<string, string>> {
    if (this.child) throw new Error(`${this.name} is already running`);
    const { command, args, env, cwd, readyWhen, readyTimeoutMs = 30_000 } = this.options;
    const child = spawn(command, [...args, ...(overrides.args ?? [])], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, ...overrides.env } });
    this.child = child;
    this.exited = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        resolve({ code, signal });
      }),
    );
    createInterface({ input: child.stderr! }).on('line', (line) => this.remember(line, 'stderr'));

    return new Promise((resolve, reject) => {
      const captures: Record<string, string> = {};
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(captures);
      };
      const fail = (reason: string) => settle(new Error(`${this.name} did not become ready: ${reason}\n${this.output}`));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(`no ready lines within ${readyTimeoutMs} ms`);
      }, readyTimeoutMs);
      void this.exited?.then((exit) => fail(`exited with code ${exit.code} signal ${exit.signal}`));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.remember(line, 'stdout');
        for (const [key, pattern] of Object.entries(readyWhen)) captures[key] ||= pattern.exec(line)?.[1] ?? '';
        if (Object.keys(readyWhen).every((key) => captures[key])) settle();
      });
    });
  }

  /** SIGTERM (graceful) and wait; SIGKILL if it does not exit in time. Returns the exit code. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    const exit = await this.signal('SIGTERM', timeoutMs).catch(() => this.signal('SIGKILL', timeoutMs));
    return exit.code;
  }

  /** SIGKILL: a crash, nothing is flushed. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 15_000);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    const child = this.child;
    if (!child || !this.exited) throw new Error(`${this.name} is not running`);
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms of ${signal}\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(line: string, stream: 'stdout' | 'stderr'): void {
    this.lines.push(stream === 'stderr' ? `[stderr] ${line}` : line);
    if (this.lines.length > KEPT_OUTPUT_LINES) this.lines.shift();
    this.options.onLine?.(line, stream);
  }
}
