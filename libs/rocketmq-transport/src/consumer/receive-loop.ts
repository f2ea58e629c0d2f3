import type { LoggerService } from '@nestjs/common';
import { describe } from '../errors';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import { sleep } from '../timing';

export interface ReceiveLoopParts {
  /** One long-polling receive of at most `max` messages. */
  receive(max: number): Promise<RocketMQMessage[]>;
  /** Starts handling a received batch; one promise per run of messages that proceed side by side. */
  handle(messages: RocketMQMessage[]): Promise<unknown>[];
  /** Gives back a message received after stop() or pause() began. */
  release(message: RocketMQMessage): Promise<unknown>;
  concurrency: number;
  batchSize: number;
  /** Receives in flight at once (each long-polls for up to `batchSize`). */
  receivers: number;
  logger: LoggerService;
  /** "<topic> as <group>", for log lines. */
  name: string;
}

const FIRST_ERROR_DELAY_MS = 1000;
const MAX_ERROR_DELAY_MS = 30_000;

/**
 * Pull-based flow control: asks only for as many messages as there is room to handle
 * (`concurrency` runs in flight, counting what receives in flight may still bring), waits when there
 * is none, and backs off while receiving fails. Several receives may be in flight: one receive is a
 * round trip to the broker, and a single one at a time caps a handler at one batch per round trip.
 */
export class ReceiveLoop {
  private running = false;
  private paused = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Messages asked for by receives still in flight. */
  private reserved = 0;
  private waiting: (() => void)[] = [];
  /** Set while receiving fails; cleared by the next receive that succeeds (health checks read it). */
  failure: { since: Date; reason: string } | undefined;

  constructor(private readonly parts: ReceiveLoopParts) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.parts.receivers }, () => this.run());
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Stops asking for messages and waits (at most `timeoutMs`) for running handlers, so that nothing is
   * handled from then until resume(); resolves with how many are still running. Messages that a
   * long poll already under way brings back meanwhile are handed back at once (visible again), and the
   * backlog waits in the broker.
   */
  async pause(timeoutMs: number): Promise<number> {
    this.paused = true;
    await Promise.race([Promise.all(this.inFlight), sleep(timeoutMs)]);
    return this.inFlight.size;
  }

  resume(): void {
    this.paused = false;
    this.wakeAll();
  }

  /** Stops receiving and waits (at most `timeoutMs`) for running handlers; resolves with how many are still running. */
  async stop(timeoutMs: number): Promise<number> {
    this.running = false;
    this.wakeAll();
    await Promise.all(this.loops);
    const drained = Promise.all(this.inFlight).then(() => true);
    await Promise.race([drained, sleep(timeoutMs)]);
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    let errorDelay = FIRST_ERROR_DELAY_MS;
    while (this.running) {
      const room = this.parts.concurrency - this.inFlight.size - this.reserved;
      if (room <= 0 || this.paused) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      const asked = Math.min(room, this.parts.batchSize);
      let messages: RocketMQMessage[];
      this.reserved += asked;
      try {
        messages = await this.parts.receive(asked);
        errorDelay = FIRST_ERROR_DELAY_MS;
        this.failure = undefined;
      } catch (error) {
        if (!this.running) break;
        const reason = describe(error);
        this.failure ??= { since: new Date(), reason };
        this.parts.logger.warn(`receive from ${this.parts.name} failed: ${reason}; retrying in ${errorDelay} ms`);
        await sleep(errorDelay);
        errorDelay = Math.min(errorDelay * 2, MAX_ERROR_DELAY_MS);
        continue;
      } finally {
        this.reserved -= asked;
      }
      if (!this.running || this.paused) {
        await Promise.all(messages.map((message) => this.parts.release(message)));
        continue;
      }
      for (const run of this.parts.handle(messages)) this.track(run);
      // What was asked for but not delivered is room again for the others.
      if (messages.length < asked) this.wakeAll();
    }
  }

  private track(run: Promise<unknown>): void {
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      this.wakeAll();
    });
  }

  private wakeAll(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
