import type { LoggerService } from '@nestjs/common';
import type { WritePacket } from '@nestjs/microservices';
import { HEADERS, decodeBody } from '../codec';
import { instanceIdOf } from '../connection';
import { RocketMQReplyTimeoutError } from '../errors';
import type { RocketMQConnectionOptions } from '../rocketmq.options';
import { DEFAULT_HANDLER_OPTIONS } from '../consumer/handler-options';
import { SubscriptionConsumer } from '../consumer/subscription-consumer';
import type { RocketMQMessage } from '../grpc/messaging-codec';

interface Pending {
  callback: (packet: WritePacket) => void;
  timer: NodeJS.Timeout;
}

/**
 * The requester's side of request/reply: a consumer group of its own (`reply-<instanceId>`) on the
 * shared reply topic, filtered by its own tag, matching replies to requests by correlation id.
 */
export class ReplyListener {
  private readonly pending = new Map<string, Pending>();
  private readonly instanceId: string;
  private consumer: SubscriptionConsumer | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly connection: RocketMQConnectionOptions,
    private readonly replyTopic: string,
    private readonly logger: LoggerService,
  ) {
    this.instanceId = instanceIdOf(connection);
  }

  start(): Promise<void> {
    this.starting ??= (async () => {
      const group = `reply-${this.instanceId}`.slice(0, 60);
      const options = { ...DEFAULT_HANDLER_OPTIONS, group, tag: this.instanceId, maxAttempts: 1, concurrency: 64, batchSize: 32 };
      this.consumer = new SubscriptionConsumer(this.replyTopic, options, this.connection, async (message) => this.resolve(message), this.logger, () => undefined);
      await this.consumer.start();
    })();
    return this.starting;
  }

  requestHeaders(correlationId: string): Record<string, string> {
    return { [HEADERS.correlationId]: correlationId, [HEADERS.replyTo]: this.instanceId, [HEADERS.replyTopic]: this.replyTopic };
  }

  /** Waits for the reply to `correlationId`; returns the cancel function Nest calls on unsubscribe. */
  expect(correlationId: string, timeoutMs: number, topic: string, callback: (packet: WritePacket) => void): () => void {
    const timer = setTimeout(() => this.fail(correlationId, new RocketMQReplyTimeoutError(topic, correlationId, timeoutMs).message), timeoutMs);
    this.pending.set(correlationId, { callback, timer });
    return () => this.forget(correlationId);
  }

  fail(correlationId: string, error: string): void {
    this.pending.get(correlationId)?.callback({ err: error, isDisposed: true });
    this.forget(correlationId);
  }

  async stop(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.fail(id, 'client closed before the reply arrived');
    await this.consumer?.stop(1000);
    this.consumer = undefined;
    this.starting = undefined;
  }

  private resolve(message: RocketMQMessage): void {
    const correlationId = message.properties.get(HEADERS.correlationId) ?? '';
    const pending = this.pending.get(correlationId);
    if (!pending) return; // late reply to a request that timed out: nothing waits for it
    const error = message.properties.get(HEADERS.error);
    pending.callback(error !== undefined ? { err: error, isDisposed: true } : { response: decodeBody(message), isDisposed: true });
    this.forget(correlationId);
  }

  private forget(correlationId: string): void {
    const pending = this.pending.get(correlationId);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(correlationId);
  }
}
