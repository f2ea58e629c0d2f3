import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { type MessageOptions, MessageIdFactory, type MessageView, Producer } from 'rocketmq-client-nodejs';
import { TransactionResolution } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { shutdownQuietly, startClient, verifyReachable } from '../client-workarounds';
import { HEADERS, jsonBodySerializer } from '../codec';
import { clientOptions, instanceIdOf } from '../connection';
import { describe } from '../errors';
import { RocketMQStatus } from '../events/rocketmq.events';
import { DataPlane } from '../grpc/data-plane';
import { MessageType, type OutgoingMessage } from '../grpc/messaging-codec';
import { tracedPublish } from '../otel/telemetry';
import { checkSupportedRuntime } from '../supported-runtime';
import { RocketMQRecord, type RocketMQRecordOptions } from '../record-builders/rocketmq.record-builder';
import type { RocketMQClientOptions, RocketMQComponentHealth } from '../rocketmq.options';
import { DEFAULT_PUBLISH_BATCH, PublishBatcher, type RocketMQSendReceipt } from './publish-batcher';
import { ReplyListener } from './reply-listener';

/** The half message a transaction's local work runs for. */
export interface RocketMQHalfMessageReceipt {
  messageId: string;
  transactionId: string;
}

/** Answers the broker's check-back for a half message from the service's own records. */
export type TransactionCheck = (message: MessageView) => Promise<'commit' | 'rollback' | 'unknown'>;

/**
 * A Nest ClientProxy publishing to RocketMQ 5: `emit(topic, data)` publishes an event, `send(topic,
 * data)` a request whose reply comes back on the reply topic, and `sendInTransaction` wraps local
 * work in a transactional (half) message. NORMAL, DELAY and half messages published concurrently
 * share SendMessage requests (PublishBatcher); FIFO messages go one per request through the official
 * Producer, which also keeps routes, heartbeats and settings and answers check-backs (ADR 0010, 0026).
 */
export class ClientRocketMQ extends ClientProxy<Record<never, Function>, RocketMQStatus> {
  protected readonly logger = new Logger(ClientRocketMQ.name);
  private producer: Producer | undefined;
  private batcher: PublishBatcher | undefined;
  private dataPlane: DataPlane | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly checks = new Map<string, TransactionCheck>();
  private readonly replies: ReplyListener | undefined;

  constructor(private readonly options: RocketMQClientOptions) {
    super();
    this.replies = options.replyTopic ? new ReplyListener(options, options.replyTopic, options.logger ?? this.logger) : undefined;
  }

  /** Starts the producer (retrying until `startupTimeoutMs`); publishing connects on its own when this was not called. */
  async connect(): Promise<void> {
    await this.ready();
  }

  /** Sends what is still gathering and waits for every publish in flight, then disconnects. */
  async close(): Promise<void> {
    await this.replies?.stop();
    await this.batcher?.close();
    this.dataPlane?.close();
    const producer = this.producer;
    this.producer = undefined;
    this.batcher = undefined;
    this.dataPlane = undefined;
    this.connecting = undefined;
    await shutdownQuietly(producer);
    this._status$.next(RocketMQStatus.DISCONNECTED);
  }

  unwrap<T>(): T {
    if (!this.producer) throw new Error('ClientRocketMQ is not connected; call connect() first');
    return this.producer as T;
  }

  /**
   * Registers the check for half messages of `topic`. Call before connect(): the producer must
   * declare the topic for the broker to route check-backs to it.
   */
  registerTransactionCheck(topic: string, check: TransactionCheck): void {
    if (this.checks.has(topic)) throw new Error(`a transaction check for ${topic} is already registered`);
    if (this.producer || this.connecting) throw new Error(`register the transaction check for ${topic} before the client connects`);
    this.checks.set(topic, check);
  }

  protected assertTransactionCheck(topic: string): void {
    if (!this.checks.has(topic)) throw new Error(`no transaction check registered for ${topic}: the broker could not resolve a crash`);
  }

  /**
   * Publishes and resolves with the broker's receipt (message id, offset, recall handle). A message
   * with a message group (FIFO) travels alone, so the server routes it by its group.
   */
  async publishMessage(topic: string, data: unknown, options: RocketMQRecordOptions = {}): Promise<RocketMQSendReceipt> {
    // Connected: no await before the message joins its batch, so a close() right after this call sends it.
    const producer = this.producer ?? (await this.ready());
    const batcher = this.batcher as PublishBatcher;
    return tracedPublish(topic, 'send', (trace) =>
      options.messageGroup !== undefined ? producer.send(this.toMessage(topic, data, options, trace)) : batcher.publish(this.toOutgoing(topic, data, options, trace)),
    );
  }

  /**
   * For health checks: asks the broker for a route (one round trip, bounded by `requestTimeoutMs`),
   * so it answers down as soon as the broker is gone and up again as soon as it is back.
   */
  async health(): Promise<RocketMQComponentHealth> {
    if (!this.producer) return { up: false, reason: this.connecting ? 'connecting' : 'not connected' };
    try {
      await verifyReachable(this.producer);
      return { up: true };
    } catch (error) {
      return { up: false, reason: describe(error) };
    }
  }

  /**
   * Transactional message: sends the half message, runs `localWork` (e.g. a database transaction),
   * commits if it resolves and rolls back if it throws. If the process dies in between, or the commit
   * does not reach the broker, the broker asks the registered TransactionCheck of the topic. Half
   * messages sent concurrently share SendMessage requests, and commit and rollback go over the same
   * channel (ADR 0026); the official Producer still declares the topic and answers the check-backs.
   */
  async sendInTransaction<T>(topic: string, data: unknown, localWork: (receipt: RocketMQHalfMessageReceipt) => Promise<T>, options: RocketMQRecordOptions = {}): Promise<T> {
    this.assertTransactionCheck(topic);
    if (options.messageGroup !== undefined || options.delayMs !== undefined || options.deliverAt !== undefined) {
      throw new TypeError('a transactional message has no message group, delay or delivery time');
    }
    if (!this.producer) await this.ready();
    const batcher = this.batcher as PublishBatcher;
    const dataPlane = this.dataPlane as DataPlane;
    return tracedPublish(topic, 'send-transactional', async (trace) => {
      const half = await batcher.publishHalf(this.toOutgoing(topic, data, options, trace, MessageType.TRANSACTION));
      let result: T;
      try {
        result = await localWork({ messageId: half.messageId, transactionId: half.transactionId });
      } catch (error) {
        await dataPlane.endTransaction(half.endpoint, half, false).catch((rollbackError: unknown) =>
          this.logger.warn(`rollback of ${topic} ${half.messageId} failed (${describe(rollbackError)}); the check-back will resolve it`),
        );
        throw error;
      }
      // The local work is done: a commit that fails (the server unreachable, or a check-back that
      // resolved the half message first) is the check-back's to settle, not the caller's failure.
      await dataPlane.endTransaction(half.endpoint, half, true).catch((commitError: unknown) =>
        this.logger.warn(`commit of ${topic} ${half.messageId} failed (${describe(commitError)}); the check-back resolves it`),
      );
      return result;
    });
  }

  protected async dispatchEvent<T = RocketMQSendReceipt>(packet: ReadPacket): Promise<T> {
    const { data, options } = unpack(packet.data);
    return (await this.publishMessage(this.normalizePattern(packet.pattern), data, options)) as T;
  }

  protected publish(packet: ReadPacket & { id?: string }, callback: (packet: WritePacket) => void): () => void {
    if (!this.replies) {
      callback({ err: 'ClientRocketMQ.send() needs the replyTopic option: RocketMQ 5 has no native request/reply', isDisposed: true });
      return () => undefined;
    }
    const { id } = this.assignPacketId(packet);
    const topic = this.normalizePattern(packet.pattern);
    const { data, options } = unpack(packet.data);
    const replies = this.replies;
    const cancel = replies.expect(id, this.options.replyTimeoutMs ?? 10_000, topic, callback);
    replies
      .start()
      .then(() => this.publishMessage(topic, data, { ...options, properties: { ...options.properties, ...replies.requestHeaders(id) } }))
      .catch((error: unknown) => replies.fail(id, describe(error)));
    return cancel;
  }

  private ready(): Promise<Producer> {
    this.connecting ??= this.startProducer();
    return this.connecting;
  }

  private async startProducer(): Promise<Producer> {
    checkSupportedRuntime(this.options.logger ?? this.logger);
    this._status$.next(RocketMQStatus.CONNECTING);
    const topics = [...new Set([...(this.options.topics ?? []), ...this.checks.keys()])];
    const checker = {
      check: async (message: MessageView) => {
        const check = this.checks.get(message.topic);
        const verdict = check ? await check(message).catch(() => 'unknown' as const) : 'unknown';
        this.logger.log(`transaction check-back for ${message.topic} ${message.messageId}: ${verdict}`);
        return verdict === 'commit' ? TransactionResolution.COMMIT : verdict === 'rollback' ? TransactionResolution.ROLLBACK : TransactionResolution.TRANSACTION_RESOLUTION_UNSPECIFIED;
      },
    };
    const logger = this.options.logger ?? this.logger;
    const producer = await startClient<Producer>(
      () => new Producer({ ...clientOptions(this.options, logger), topics, maxAttempts: this.options.maxAttempts ?? 3, checker }),
      this.options,
      'producer',
      logger,
      verifyReachable,
    );
    this.dataPlane = new DataPlane(producer, { namespace: this.options.namespace ?? '', tls: this.options.tls ?? false, requestTimeoutMs: this.options.requestTimeoutMs ?? 3000 });
    const batching = { ...DEFAULT_PUBLISH_BATCH, maxAttempts: this.options.maxAttempts ?? DEFAULT_PUBLISH_BATCH.maxAttempts, ...this.options.batching };
    this.batcher = new PublishBatcher(producer, this.dataPlane, batching);
    this.producer = producer;
    this._status$.next(RocketMQStatus.CONNECTED);
    return producer;
  }

  private toOutgoing(topic: string, data: unknown, options: RocketMQRecordOptions, trace: Record<string, string>, type?: typeof MessageType.TRANSACTION): OutgoingMessage {
    const { body, contentType } = (this.options.serializer ?? jsonBodySerializer).serialize(data);
    const deliverAt = options.deliverAt?.getTime() ?? (options.delayMs ? Date.now() + options.delayMs : undefined);
    return {
      topic,
      messageId: MessageIdFactory.create().toString(),
      messageType: type ?? (deliverAt === undefined ? MessageType.NORMAL : MessageType.DELAY),
      body,
      tag: options.tag,
      keys: options.keys,
      deliveryTimestampMs: deliverAt,
      properties: { ...options.properties, ...trace, [HEADERS.contentType]: contentType },
    };
  }

  private toMessage(topic: string, data: unknown, options: RocketMQRecordOptions, trace: Record<string, string>): MessageOptions {
    const { body, contentType } = (this.options.serializer ?? jsonBodySerializer).serialize(data);
    return {
      topic,
      body,
      tag: options.tag,
      keys: options.keys,
      messageGroup: options.messageGroup,
      delay: options.delayMs,
      deliveryTimestamp: options.deliverAt,
      properties: new Map(Object.entries({ ...options.properties, ...trace, [HEADERS.contentType]: contentType })),
    };
  }

  get instanceId(): string {
    return instanceIdOf(this.options);
  }
}

function unpack(data: unknown): { data: unknown; options: RocketMQRecordOptions } {
  return data instanceof RocketMQRecord ? { data: data.data, options: data.options } : { data, options: {} };
}
