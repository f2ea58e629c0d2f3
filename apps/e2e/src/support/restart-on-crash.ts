import { type ServiceProcess, waitFor } from '@rocketmq-shop/testing';

/**
 * Brings a service back whenever it dies (a crash fault), like an orchestrator would. `generation`
 * counts completed restarts, so a caller whose request died can wait for the next incarnation.
 */
export class RestartOnCrash {
  generation = 0;
  private stopped = false;
  private readonly watching: Promise<void>;

  constructor(private readonly service: ServiceProcess) {
    this.watching = this.watch();
  }

  /** Resolves once the service has been restarted after generation `seen`. */
  async restartedAfter(seen: number): Promise<void> {
    await waitFor(() => this.generation > seen && this.service.isRunning, { timeoutMs: 120_000, intervalMs: 20, message: `${this.service.name} to come back` });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watching;
  }

  private async watch(): Promise<void> {
    while (!this.stopped) {
      await waitFor(() => this.stopped || !this.service.isRunning, { timeoutMs: 3_600_000, intervalMs: 20 });
      if (this.stopped) return;
      await this.service.start();
      this.generation++;
    }
  }
}
