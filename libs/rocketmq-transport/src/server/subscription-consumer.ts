import type { LoggerService } from '@nestjs/common';
import { FilterExpression, type MessageView, SimpleConsumer, StatusChecker } from 'rocketmq-client-nodejs';
import { FilterType, Resource } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { ForwardMessageToDeadLetterQueueRequest } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb';
import { shutdownQuietly, startClient } from '../client-workarounds';
import { clientOptions } from '../connection';
import { describe } from '../errors';
import { sleep } from '../timing';
import { RocketMQNonRetriableError } from '../errors';
import { instruments } from '../otel/telemetry';
import type { RocketMQConnectionOptions } from '../rocketmq.options';
import { type RocketMQHandlerOptions, backoffFor } from './handler-options';
import { RateLimiter } from './rate-limiter';

export type MessageHandler = (message: MessageView) => Promise<void>;
export type DeadLetterListener = (event: { topic: string; group: string; messageId: string; reason: string }) => void;

/**
 * One handler's subscription, driven by a SimpleConsumer rather than the client's PushConsumer
 * (whose retry timing is broken in 1.0.8, ADR 0005): receive only as many messages as there is room
 * to handle, keep them invisible while handlers run, settle each one (ack, retry later with backoff,
 * or dead-letter), and let the backlog wait in the broker.
 */
export class SubscriptionConsumer {
  private consumer: SimpleConsumer | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly limiter: RateLimiter | undefined;
  private wakeReceiver: (() => void) | undefined;

  constructor(
    readonly topic: string,
    readonly options: RocketMQHandlerOptions,
    private readonly connection: RocketMQConnectionOptions,
    private readonly handle: MessageHandler,
    private readonly logger: LoggerService,
    private readonly onDeadLetter: DeadLetterListener,
  ) {
    this.limiter = options.maxRatePerSecond ? new RateLimiter(options.maxRatePerSecond) : undefined;
  }

  get group(): string {
    return this.options.group;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    const filter = this.options.sql !== undefined ? new FilterExpression(this.options.sql, FilterType.SQL) : new FilterExpression(this.options.tag ?? '*', FilterType.TAG);
    this.consumer = await startClient(
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
    this.running = true;
    this.loop = this.receiveLoop();
  }

  /** Stops receiving, waits for running handlers (bounded), then closes the consumer. */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.wakeReceiver?.();
    await this.loop;
    const drained = Promise.all(this.inFlight).then(() => true);
    const finished = await Promise.race([drained, sleep(timeoutMs).then(() => false)]);
    if (!finished) this.logger.warn(`${this.inFlight.size} ${this.topic} messages still in flight at shutdown; the broker redelivers them`);
    await shutdownQuietly(this.consumer);
  }

  private async receiveLoop(): Promise<void> {
    const consumer = this.consumer as SimpleConsumer;
    let errorDelay = 1000;
    while (this.running) {
      const room = this.options.concurrency - this.inFlight.size;
      if (room <= 0) {
        await new Promise<void>((resolve) => (this.wakeReceiver = resolve));
        continue;
      }
      let messages: MessageView[];
      try {
        messages = await consumer.receive(Math.min(room, this.options.batchSize), this.options.invisibleDurationMs);
        errorDelay = 1000;
      } catch (error) {
        if (!this.running) break;
        this.logger.warn(`receive from ${this.topic} as ${this.group} failed: ${describe(error)}; retrying in ${errorDelay} ms`);
        await sleep(errorDelay);
        errorDelay = Math.min(errorDelay * 2, 30_000);
        continue;
      }
      if (!this.running) {
        // Received while stopping: hand them straight back rather than leave them invisible.
        await Promise.all(messages.map((message) => this.settle(() => consumer.changeInvisibleDuration(message, 0), message)));
        break;
      }
      for (const run of this.runs(messages)) this.track(run());
    }
  }

  /** FIFO: messages of one message group run one after another, and a failure holds back the rest. */
  private runs(messages: MessageView[]): (() => Promise<void>)[] {
    if (!this.options.fifo) return messages.map((message) => () => this.process(message).then(() => undefined));
    const byGroup = new Map<string, MessageView[]>();
    for (const message of messages) {
      const key = message.messageGroup ?? message.messageId;
      const sequence = byGroup.get(key);
      if (sequence) sequence.push(message);
      else byGroup.set(key, [message]);
    }
    return [...byGroup.values()].map((sequence) => async () => {
      for (let i = 0; i < sequence.length; i++) {
        if (await this.process(sequence[i])) continue;
        // Later messages of the group must not overtake the failed one: hand them back for the same retry.
        const delay = backoffFor(this.options, sequence[i].deliveryAttempt ?? 1);
        await Promise.all(sequence.slice(i + 1).map((later) => this.settle(() => this.consumer?.changeInvisibleDuration(later, delay), later)));
        return;
      }
    });
  }

  private track(run: Promise<void>): void {
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      this.wakeReceiver?.();
      this.wakeReceiver = undefined;
    });
  }

  /** Handles one message and settles it; resolves true when it was acknowledged. */
  private async process(message: MessageView): Promise<boolean> {
    await this.limiter?.acquire();
    const keepInvisible = this.keepInvisible(message);
    try {
      await this.handle(message);
    } catch (error) {
      await keepInvisible.stop();
      await this.settleFailure(message, error);
      return false;
    }
    await keepInvisible.stop();
    return this.settle(() => this.consumer?.ack(message), message);
  }

  /** Long handlers: extend the invisible time at half-time so the broker does not redeliver meanwhile. */
  private keepInvisible(message: MessageView): { stop(): Promise<void> } {
    const duration = this.options.invisibleDurationMs;
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(() => this.settle(() => this.consumer?.changeInvisibleDuration(message, duration), message));
    }, duration / 2);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  private async settleFailure(message: MessageView, error: unknown): Promise<void> {
    const attempt = message.deliveryAttempt ?? 1;
    const reason = describe(error);
    const nonRetriable = RocketMQNonRetriableError.matches(error);
    if (nonRetriable || attempt >= this.options.maxAttempts) {
      const why = nonRetriable ? `not retriable: ${reason}` : `failed ${attempt} times, last: ${reason}`;
      await this.deadLetter(message, why);
      return;
    }
    const delay = backoffFor(this.options, attempt);
    this.logger.warn(`${this.topic} message ${message.messageId} failed in ${this.group} (attempt ${attempt}): ${reason}; retry in ${delay} ms`);
    instruments().retries.add(1, { 'messaging.destination.name': this.topic, 'messaging.consumer.group.name': this.group });
    await this.settle(() => this.consumer?.changeInvisibleDuration(message, delay), message);
  }

  /**
   * SimpleConsumer has no dead-letter call; the client's consumer base class exposes the RPC, which
   * every RocketMQ 5 proxy implements, so the message lands in %DLQ%<group> on any server.
   */
  private async deadLetter(message: MessageView, reason: string): Promise<void> {
    const consumer = this.consumer as SimpleConsumer;
    const request = new ForwardMessageToDeadLetterQueueRequest()
      .setGroup(this.resource(this.group))
      .setTopic(this.resource(this.topic))
      .setReceiptHandle(message.receiptHandle)
      .setMessageId(message.messageId)
      .setDeliveryAttempt(message.deliveryAttempt ?? 1)
      .setMaxDeliveryAttempts(this.options.maxAttempts);
    const forwarded = await this.settle(async () => {
      const response = await consumer.forwardMessageToDeadLetterQueueViaRpc(message.endpoints, request, this.connection.requestTimeoutMs ?? 3000);
      StatusChecker.check(response.toObject().status);
    }, message);
    if (!forwarded) return;
    this.logger.error(`${this.topic} message ${message.messageId} dead-lettered by ${this.group}: ${reason}`);
    instruments().deadLettered.add(1, { 'messaging.destination.name': this.topic, 'messaging.consumer.group.name': this.group });
    this.onDeadLetter({ topic: this.topic, group: this.group, messageId: message.messageId, reason });
  }

  /** Ack/nack/forward failures are logged, not thrown: the broker redelivers after the invisible time. */
  private async settle(operation: () => Promise<unknown> | undefined, message: MessageView): Promise<boolean> {
    try {
      await operation();
      return true;
    } catch (error) {
      this.logger.warn(`settling ${this.topic} message ${message.messageId} failed: ${describe(error)}; it will be redelivered`);
      return false;
    }
  }

  private resource(name: string): Resource {
    return new Resource().setName(name).setResourceNamespace(this.connection.namespace ?? '');
  }
}
