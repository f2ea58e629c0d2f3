import type { LoggerService } from '@nestjs/common';
import type { SimpleConsumer } from 'rocketmq-client-nodejs';
import { forwardToDeadLetterQueue } from '../client-workarounds';
import { RocketMQNonRetriableError, describe } from '../errors';
import type { DataPlane } from '../grpc/data-plane';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import { instruments } from '../otel/telemetry';
import type { AckBatcher } from './ack-batcher';
import { type RocketMQHandlerOptions, backoffFor } from './handler-options';

export type DeadLetterListener = (event: { topic: string; group: string; messageId: string; reason: string }) => void;

export interface SettlementParts {
  topic: string;
  options: RocketMQHandlerOptions;
  dataPlane: DataPlane;
  acks: AckBatcher;
  /** The official consumer, for the dead-letter RPC it exposes. */
  consumer: SimpleConsumer;
  requestTimeoutMs: number;
  logger: LoggerService;
  onDeadLetter: DeadLetterListener;
}

/**
 * How a handled message leaves the consumer: acknowledged (batched), handed back for a retry after
 * its backoff (ChangeInvisibleDuration), or dead-lettered. Failures to settle are logged, not thrown:
 * the broker redelivers the message after its invisible time.
 */
export class Settlement {
  constructor(private readonly parts: SettlementParts) {}

  private get group(): string {
    return this.parts.options.group;
  }

  /** Resolves true when the broker took the ack. */
  ack(message: RocketMQMessage): Promise<boolean> {
    return this.attempt(() => this.parts.acks.ack(message), message, 'acknowledging');
  }

  /** A handler failed: retry after the backoff of this attempt, or dead-letter when attempts are spent or the error says so. */
  async failed(message: RocketMQMessage, error: unknown): Promise<void> {
    const attempt = message.deliveryAttempt;
    const reason = describe(error);
    const nonRetriable = RocketMQNonRetriableError.matches(error);
    if (nonRetriable || attempt >= this.parts.options.maxAttempts) {
      await this.deadLetter(message, nonRetriable ? `not retriable: ${reason}` : `failed ${attempt} times, last: ${reason}`);
      return;
    }
    const delay = backoffFor(this.parts.options, attempt);
    this.parts.logger.warn(`${this.parts.topic} message ${message.messageId} failed in ${this.group} (attempt ${attempt}): ${reason}; retry in ${delay} ms`);
    instruments().retries.add(1, { 'messaging.destination.name': this.parts.topic, 'messaging.consumer.group.name': this.group });
    await this.setInvisible(message, delay);
  }

  /** FIFO: later messages of a group whose message failed come back with it, so none overtakes it. */
  async handBack(messages: readonly RocketMQMessage[], afterFailureOf: RocketMQMessage): Promise<void> {
    const delay = backoffFor(this.parts.options, afterFailureOf.deliveryAttempt);
    await Promise.all(messages.map((message) => this.setInvisible(message, delay)));
  }

  /** Received while stopping: visible again at once rather than after the invisible time. */
  release(message: RocketMQMessage): Promise<boolean> {
    return this.setInvisible(message, 0);
  }

  /** Long handlers: extend the invisible time at half-time so the broker does not redeliver meanwhile. */
  keepInvisible(message: RocketMQMessage): { stop(): Promise<void> } {
    const duration = this.parts.options.invisibleDurationMs;
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(() => this.setInvisible(message, duration));
    }, duration / 2);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  private setInvisible(message: RocketMQMessage, ms: number): Promise<boolean> {
    return this.attempt(
      async () => {
        message.receiptHandle = await this.parts.dataPlane.changeInvisibleDuration(this.group, message, ms);
      },
      message,
      'changing the invisible time of',
    );
  }

  private async deadLetter(message: RocketMQMessage, reason: string): Promise<void> {
    const { consumer, topic, requestTimeoutMs } = this.parts;
    const target = { namespace: this.parts.dataPlane.namespace, group: this.group, topic, endpoint: message.endpoint, timeoutMs: requestTimeoutMs };
    const forwarded = await this.attempt(() => forwardToDeadLetterQueue(consumer, target, message, this.parts.options.maxAttempts), message, 'dead-lettering');
    if (!forwarded) return;
    this.parts.logger.error(`${topic} message ${message.messageId} dead-lettered by ${this.group}: ${reason}`);
    instruments().deadLettered.add(1, { 'messaging.destination.name': topic, 'messaging.consumer.group.name': this.group });
    this.parts.onDeadLetter({ topic, group: this.group, messageId: message.messageId, reason });
  }

  private async attempt(operation: () => Promise<unknown>, message: RocketMQMessage, doing: string): Promise<boolean> {
    try {
      await operation();
      return true;
    } catch (error) {
      this.parts.logger.warn(`${doing} ${this.parts.topic} message ${message.messageId} failed: ${describe(error)}; it will be redelivered`);
      return false;
    }
  }
}
