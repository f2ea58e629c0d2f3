import type { LoggerService } from '@nestjs/common';
import type { SimpleConsumer } from 'rocketmq-client-nodejs';
import { forwardToDeadLetterQueue } from '../client-workarounds';
import { describe } from '../errors';
import type { DataPlane } from '../grpc/data-plane';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import { instruments } from '../otel/telemetry';
import type { RocketMQDeadLetterEvent } from '../events/rocketmq.events';
import type { AckBatcher } from './ack-batcher';
import { decideFailure } from './error-policy';
import { type RocketMQHandlerOptions, backoffFor } from './handler-options';

export type DeadLetterListener = (event: RocketMQDeadLetterEvent) => void;

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

  /**
   * A handler failed: the handler's error policy decides (ADR 0017). A retry waits the backoff of
   * this attempt; a message whose attempts are spent is dead-lettered; a discarded one is acknowledged.
   * Resolves true when the message is settled for good (acknowledged or dead-lettered).
   */
  async failed(message: RocketMQMessage, error: unknown): Promise<boolean> {
    const attempt = message.deliveryAttempt;
    const { action, reason } = decideFailure(this.parts.options, error, message);
    if (action === 'dead-letter') return this.deadLetter(message, error, reason);
    if (action === 'discard') {
      this.parts.logger.warn(`${this.parts.topic} message ${message.messageId} discarded by ${this.group} (attempt ${attempt}): ${reason}`);
      return this.ack(message);
    }
    const delay = backoffFor(this.parts.options, attempt);
    this.parts.logger.warn(`${this.parts.topic} message ${message.messageId} failed in ${this.group} (attempt ${attempt}): ${reason}; retry in ${delay} ms`);
    instruments().retries.add(1, { 'messaging.destination.name': this.parts.topic, 'messaging.consumer.group.name': this.group });
    await this.setInvisible(message, delay);
    return false;
  }

  /** FIFO: later messages of a group whose message failed come back with it, so none overtakes it. */
  async handBack(messages: readonly RocketMQMessage[], afterFailureOf: RocketMQMessage): Promise<void> {
    const delay = backoffFor(this.parts.options, afterFailureOf.deliveryAttempt);
    await Promise.all(messages.map((message) => this.setInvisible(message, delay)));
  }

  /** Received while stopping or paused: visible again at once rather than after the invisible time. */
  release(message: RocketMQMessage): Promise<boolean> {
    return this.setInvisible(message, 0);
  }

  /**
   * Long handlers: extend the invisible time at half-time so the broker does not redeliver meanwhile.
   * `stop()` returns the renewal still under way, if any: most handlers end before the first, and then
   * stopping costs no promise.
   */
  keepInvisible(message: RocketMQMessage): { stop(): Promise<unknown> | undefined } {
    const duration = this.parts.options.invisibleDurationMs;
    let renewing: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      renewing = (renewing ?? Promise.resolve()).then(() => this.setInvisible(message, duration));
    }, duration / 2);
    timer.unref();
    return {
      stop: () => {
        clearInterval(timer);
        return renewing;
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

  private async deadLetter(message: RocketMQMessage, error: unknown, reason: string): Promise<boolean> {
    const { consumer, topic, requestTimeoutMs } = this.parts;
    const target = { namespace: this.parts.dataPlane.namespace, group: this.group, topic, endpoint: message.endpoint, timeoutMs: requestTimeoutMs };
    const forwarded = await this.attempt(() => forwardToDeadLetterQueue(consumer, target, message, this.parts.options.maxAttempts, reason), message, 'dead-lettering');
    if (!forwarded) return false;
    this.parts.logger.error(`${topic} message ${message.messageId} dead-lettered by ${this.group}: ${reason}`);
    instruments().deadLettered.add(1, { 'messaging.destination.name': topic, 'messaging.consumer.group.name': this.group });
    this.parts.onDeadLetter({ topic, group: this.group, messageId: message.messageId, reason, error });
    return true;
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
