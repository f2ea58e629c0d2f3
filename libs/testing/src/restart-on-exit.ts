import type { Exit } from './managed-process';
import type { ServiceProcess } from './service-process';
import { waitFor } from './wait-for';

export type SupervisionEvent =
  | { kind: 'exited'; service: string; exit: Exit }
  | { kind: 'taken-down'; service: string }
  | { kind: 'restarted'; service: string; generation: number }
  | { kind: 'restart-failed'; service: string; error: string; retryInMs: number };

/** Restart attempts of a service that keeps failing to start wait this long, doubling up to the last. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * Brings a service back whenever it exits on its own (a crash fault, an unhandled error), like an
 * orchestrator would, and reports each exit and restart. `generation` counts completed restarts, so
 * a caller whose request died can wait for the next incarnation. Stop it before stopping the service.
 * A service taken down on purpose (takeDown) stays down until bringBack: that is not a crash.
 */
export class RestartOnExit {
  generation = 0;
  private stopped = false;
  private wakeOnStop: () => void = () => undefined;
  private readonly stopping = new Promise<undefined>((resolve) => (this.wakeOnStop = () => resolve(undefined)));
  private readonly watching: Promise<void>;
  /** Set while the service is down on purpose; resolving `bringBack` lets the watch start it again. */
  private held: { bringBack: () => void; broughtBack: Promise<void> } | undefined;

  constructor(
    private readonly service: ServiceProcess,
    private readonly report: (event: SupervisionEvent) => void = () => undefined,
  ) {
    this.watching = this.watch();
  }

  /** Resolves once the service has been restarted after generation `seen`. */
  async restartedAfter(seen: number): Promise<void> {
    await waitFor(() => this.generation > seen && this.service.isRunning, { timeoutMs: 120_000, intervalMs: 20, message: `${this.service.name} to come back` });
  }

  get isTakenDown(): boolean {
    return this.held !== undefined;
  }

  /** Stops the service (SIGTERM, it drains) and keeps it down, not restarted, until bringBack(). */
  async takeDown(): Promise<void> {
    if (this.held) return;
    let bringBack: () => void = () => undefined;
    const broughtBack = new Promise<void>((resolve) => (bringBack = resolve));
    this.held = { bringBack, broughtBack };
    if (this.service.isRunning) await this.service.stop();
  }

  /** Starts a service taken down by takeDown() again; resolves once it is ready. */
  async bringBack(): Promise<void> {
    const held = this.held;
    if (!held) return;
    const seen = this.generation;
    this.held = undefined;
    held.bringBack();
    await this.restartedAfter(seen);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeOnStop();
    await this.watching;
  }

  private async watch(): Promise<void> {
    let retryInMs = RETRY_MIN_MS;
    while (!this.stopped) {
      const exit = await Promise.race([this.service.nextExit(), this.stopping]);
      if (this.stopped) return;
      if (this.held) {
        this.report({ kind: 'taken-down', service: this.service.name });
        await Promise.race([this.held.broughtBack, this.stopping]);
        if (this.stopped) return;
      } else if (exit) this.report({ kind: 'exited', service: this.service.name, exit });
      try {
        await this.service.start();
        this.generation++;
        retryInMs = RETRY_MIN_MS;
        this.report({ kind: 'restarted', service: this.service.name, generation: this.generation });
      } catch (error) {
        this.report({ kind: 'restart-failed', service: this.service.name, error: error instanceof Error ? error.message.split('\n')[0] : String(error), retryInMs });
        await Promise.race([new Promise((resolve) => setTimeout(resolve, retryInMs)), this.stopping]);
        retryInMs = Math.min(retryInMs * 2, RETRY_MAX_MS);
      }
    }
  }
}
