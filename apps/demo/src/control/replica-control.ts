import type { ShopProcess } from '../shop-processes';

/** What the control needs of a supervised process: RestartOnExit and the process it watches. */
export interface Supervised {
  process: ShopProcess;
  isRunning(): boolean;
  isTakenDown(): boolean;
  takeDown(): Promise<void>;
  bringBack(): Promise<void>;
}

export interface ProcessView {
  instance: string;
  app: string;
  url: string;
  running: boolean;
  /** Stopped through this control: supervision leaves it down until it is started again here. */
  takenDown: boolean;
  /** One of several replicas of its app: the only processes this control stops. */
  replica: boolean;
}

/** A request the control refuses: the HTTP status and a message saying what would be accepted. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stops and starts replicas of the demo's shop (the price-cache scenario: stop one, change a price,
 * watch the others converge, bring it back, watch it catch up). Only a replica may be stopped: the
 * others keep the scenario's service up, which is the point of replicas.
 */
export class ReplicaControl {
  constructor(private readonly supervised: readonly Supervised[]) {}

  list(): ProcessView[] {
    return this.supervised.map((entry) => this.view(entry));
  }

  async setRunning(instance: string, body: unknown): Promise<ProcessView> {
    const entry = this.supervised.find((candidate) => candidate.process.instance === instance);
    if (!entry) throw new ControlError(404, `no process ${instance}; the demo runs ${this.supervised.map((s) => s.process.instance).join(', ')}`);
    if (!this.isReplica(entry)) throw new ControlError(400, `${instance} is not one of several replicas; only these can be stopped: ${this.replicas().join(', ') || 'none'}`);
    const running = runningOf(body);
    if (running) await entry.bringBack();
    else await entry.takeDown();
    return this.view(entry);
  }

  private view(entry: Supervised): ProcessView {
    const { instance, app, port } = entry.process;
    return { instance, app, url: `http://127.0.0.1:${port}`, running: entry.isRunning(), takenDown: entry.isTakenDown(), replica: this.isReplica(entry) };
  }

  private isReplica(entry: Supervised): boolean {
    return this.supervised.filter((other) => other.process.app === entry.process.app).length > 1;
  }

  private replicas(): string[] {
    return this.supervised.filter((entry) => this.isReplica(entry)).map((entry) => entry.process.instance);
  }
}

function runningOf(body: unknown): boolean {
  const keys = body !== null && typeof body === 'object' ? Object.keys(body) : [];
  const running = (body as { running?: unknown } | null)?.running;
  if (keys.length !== 1 || typeof running !== 'boolean') throw new ControlError(400, 'the body must be {"running": true} or {"running": false}');
  return running;
}
