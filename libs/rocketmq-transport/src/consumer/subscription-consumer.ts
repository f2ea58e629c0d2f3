import type { LoggerService } from '@nestjs/common';
import { FilterExpression, SimpleConsumer } from 'rocketmq-client-nodejs';
import { FilterType } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { routeOf, shutdownQuietly, startClient } from '../client-workarounds';
import { clientOptions } from '../connection';
import { DataPlane } from '../grpc/data-plane';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import { QueueSelector, endpointOf, queueRouteOf } from '../grpc/queue-selector';
import type { RocketMQComponentHealth, RocketMQConnectionOptions } from '../rocketmq.options';
import { AckBatcher } from './ack-batcher';
import { runsOf } from './fifo-runs';
import type { RocketMQHandlerOptions } from './handler-options';
import { RateLimiter } from './rate-limiter';
import { ReceiveLoop } from './receive-loop';
import { type DeadLetterListener, Settlement } from './settlement';

export type MessageHandler = (message: RocketMQMessage) => Promise<void>;

/** Receives in flight per subscription at most: one per batch the concurrency can take, up to this. */
const MAX_RECEIVERS = 8;

/**
 * One handler's subscription (ADR 0005, ADR 0010): the official SimpleConsumer keeps the route,
 * heartbeats and settings in sync with the server; receives, acks and invisible-time changes go
 * through the transport's own channel (batched acks). Only as many messages are received as there
 * is room to handle; the backlog waits in the broker.
 */
export class SubscriptionConsumer {
  private consumer: SimpleConsumer | undefined;
  private dataPlane: DataPlane | undefined;
  private acks: AckBatcher | undefined;
  private loop: ReceiveLoop | undefined;
  private readonly limiter: RateLimiter | undefined;

  constructor(
    readonly topic: string,
    readonly options: RocketMQHandlerOptions,
    private readonly connection: RocketMQConnectionOptions,
    private readonly handle: MessageHandler,
    private readonly logger: LoggerService,
    private readonly onDeadLetter: DeadLetterListener,
  ) {
    this.limiter = options.maxRatePerSecond ? new RateLimiter(options.maxRatePerSecond, options.paceInGroupsOf) : undefined;
  }

  get group(): string {
    return this.options.group;
  }

  async start(): Promise<void> {
    const filter = this.options.sql !== undefined ? new FilterExpression(this.options.sql, FilterType.SQL) : new FilterExpression(this.options.tag ?? '*', FilterType.TAG);
    const consumer = await startClient(
      () =>
        new SimpleConsumer({
          ...clientOptions(this.connection, this.logger),
          consumerGroup: this.group,
          subscriptions: new Map([[this.topic, filter]]),
          awaitDuration: this.options.awaitDurationMs,
        }),
      this.connection,
      `consumer ${this.group} of ${this.topic}`,
      this.logger,
    );
    const requestTimeoutMs = this.connection.requestTimeoutMs ?? 3000;
    const dataPlane = new DataPlane(consumer, { namespace: this.connection.namespace ?? '', tls: this.connection.tls ?? false, requestTimeoutMs });
    const acks = new AckBatcher(dataPlane, this.group, this.topic);
    const settlement = new Settlement({ topic: this.topic, options: this.options, dataPlane, acks, consumer, requestTimeoutMs, logger: this.logger, onDeadLetter: this.onDeadLetter });
    const queues = new QueueSelector((topic) => routeOf(consumer, topic), 'read');
    const filterSpec = { sql: this.options.sql, tag: this.options.tag };
    this.loop = new ReceiveLoop({
      receive: async (max) => {
        const queue = await queues.next(this.topic);
        const parameters = { group: this.group, messageQueue: queueRouteOf(queue), filter: filterSpec, batchSize: max, invisibleMs: this.options.invisibleDurationMs, longPollingMs: this.options.awaitDurationMs };
        return dataPlane.receive(endpointOf(queue), parameters);
      },
      // A run of one (every run without FIFO) needs no loop around it: one async frame less per message.
      handle: (messages) => runsOf(messages, this.options.fifo).map((run) => (run.length === 1 ? this.process(run[0], settlement) : this.processRun(run, settlement))),
      release: (message) => settlement.release(message),
      concurrency: this.options.concurrency,
      batchSize: this.options.batchSize,
      receivers: Math.max(1, Math.min(MAX_RECEIVERS, Math.floor(this.options.concurrency / this.options.batchSize))),
      logger: this.logger,
      name: `${this.topic} as ${this.group}`,
    });
    this.consumer = consumer;
    this.dataPlane = dataPlane;
    this.acks = acks;
    this.loop.start();
  }

  /** Up while the latest receive succeeded; down before start, after stop, and while receiving fails. */
  health(): RocketMQComponentHealth {
    if (!this.loop) return { up: false, reason: 'not receiving' };
    const failure = this.loop.failure;
    return failure ? { up: false, reason: failure.reason, since: failure.since } : { up: true };
  }

  get isPaused(): boolean {
    return this.loop?.isPaused ?? false;
  }

  /** Stops taking messages until resume(); resolves once the running handlers finished (bounded by `timeoutMs`). */
  async pause(timeoutMs: number): Promise<void> {
    const stillRunning = (await this.loop?.pause(timeoutMs)) ?? 0;
    if (stillRunning > 0) this.logger.warn(`${stillRunning} ${this.topic} handlers still running ${timeoutMs} ms after pausing ${this.group}`);
  }

  resume(): void {
    this.loop?.resume();
  }

  /** Stops receiving, waits for running handlers (bounded), sends the pending acks, then closes. */
  async stop(timeoutMs: number): Promise<void> {
    const stillRunning = (await this.loop?.stop(timeoutMs)) ?? 0;
    if (stillRunning > 0) this.logger.warn(`${stillRunning} ${this.topic} handlers still running at shutdown; the broker redelivers their messages`);
    await this.acks?.close();
    this.dataPlane?.close();
    this.loop = undefined;
    await shutdownQuietly(this.consumer);
  }

  /** Handles a run in order; after a failure to retry, the rest of the run goes back with the failed message (FIFO). */
  private async processRun(run: RocketMQMessage[], settlement: Settlement): Promise<void> {
    for (let i = 0; i < run.length; i++) {
      if (await this.process(run[i], settlement)) continue;
      await settlement.handBack(run.slice(i + 1), run[i]);
      return;
    }
  }

  /** Handles one message and settles it; resolves true when it was acknowledged, discarded or dead-lettered. */
  private async process(message: RocketMQMessage, settlement: Settlement): Promise<boolean> {
    if (this.limiter) await this.limiter.acquire();
    const keepInvisible = settlement.keepInvisible(message);
    try {
      await this.handle(message);
    } catch (error) {
      await keepInvisible.stop();
      return settlement.failed(message, error);
    }
    const renewing = keepInvisible.stop();
    if (renewing) await renewing;
    if (this.options.fifo) return settlement.ack(message);
    // Nothing waits on a non-FIFO ack: the slot goes to the next message while the ack is batched (stop() sends it).
    void settlement.ack(message);
    return true;
  }
}
