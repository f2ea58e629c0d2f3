import type { Exit } from './managed-process';
import type { ServiceProcess } from './service-process';
import { waitFor } from './wait-for';

export type SupervisionEvent =
  | { kind: 'exited'; service: string; exit: Exit }
  | { kind: 'restarted'; service: string; generation: number }
  | { kind: 'restart-failed'; service: string; error: string; retryInMs: number };

/** Restart attempts of a service that keeps failing to start wait this long, doubling up to the last. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * Brings a service back whenever it exits on its own (a crash fault, an unhandled error), like an
 * orchestrator would, and reports each exit and restart. `generation` counts completed restarts, so
 * a caller whose request died can wait for the next incarnation. Stop it before stopping the service.
 */
export class RestartOnExit {
  generation = 0;
  private stopped = false;
  private wakeOnStop: () => void = () => undefined;
  private readonly stopping = new Promise<undefined>((resolve) => (this.wakeOnStop = () => resolve(undefined)));
  private readonly watching: Promise<void>;

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
      if (exit) this.report({ kind: 'exited', service: this.service.name, exit });
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
