import type { LoggerService } from '@nestjs/common';
import { describe } from '../errors';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import { sleep } from '../timing';

export interface ReceiveLoopParts {
  /** One long-polling receive of at most `max` messages. */
  receive(max: number): Promise<RocketMQMessage[]>;
  /** Starts handling a received batch; one promise per run of messages that proceed side by side. */
  handle(messages: RocketMQMessage[]): Promise<void>[];
  /** Gives back a message received after stop() began. */
  release(message: RocketMQMessage): Promise<unknown>;
  concurrency: number;
  batchSize: number;
  logger: LoggerService;
  /** "<topic> as <group>", for log lines. */
  name: string;
}

const FIRST_ERROR_DELAY_MS = 1000;
const MAX_ERROR_DELAY_MS = 30_000;

/**
 * Pull-based flow control: asks only for as many messages as there is room to handle
 * (`concurrency` runs in flight), waits when there is none, and backs off while receiving fails.
 */
export class ReceiveLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;

  constructor(private readonly parts: ReceiveLoopParts) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops receiving and waits (at most `timeoutMs`) for running handlers; resolves with how many are still running. */
  async stop(timeoutMs: number): Promise<number> {
    this.running = false;
    this.wake?.();
    await this.loop;
    const drained = Promise.all(this.inFlight).then(() => true);
    await Promise.race([drained, sleep(timeoutMs)]);
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    let errorDelay = FIRST_ERROR_DELAY_MS;
    while (this.running) {
      const room = this.parts.concurrency - this.inFlight.size;
      if (room <= 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      let messages: RocketMQMessage[];
      try {
        messages = await this.parts.receive(Math.min(room, this.parts.batchSize));
        errorDelay = FIRST_ERROR_DELAY_MS;
      } catch (error) {
        if (!this.running) break;
        this.parts.logger.warn(`receive from ${this.parts.name} failed: ${describe(error)}; retrying in ${errorDelay} ms`);
        await sleep(errorDelay);
        errorDelay = Math.min(errorDelay * 2, MAX_ERROR_DELAY_MS);
        continue;
      }
      if (!this.running) {
        await Promise.all(messages.map((message) => this.parts.release(message)));
        break;
      }
      for (const run of this.parts.handle(messages)) this.track(run);
    }
  }

  private track(run: Promise<void>): void {
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      this.wake?.();
      this.wake = undefined;
    });
  }
}
