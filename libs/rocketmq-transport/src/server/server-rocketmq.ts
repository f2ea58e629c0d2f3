import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom, isObservable } from 'rxjs';
import { jsonBodyDeserializer } from '../codec';
import { instanceIdOf } from '../connection';
import { RocketMQContext } from '../ctx-host/rocketmq.context';
import { RocketMQNonRetriableError, describe } from '../errors';
import { type RocketMQEvents, RocketMQEventsMap, RocketMQStatus } from '../events/rocketmq.events';
import { type TracedProcess, processTracing } from '../otel/telemetry';
import type { RocketMQComponentHealth, RocketMQServerOptions } from '../rocketmq.options';
import { type RocketMQHandlerOptions, resolveHandlerOptions } from '../consumer/handler-options';
import { checkSupportedRuntime } from '../supported-runtime';
import { withOriginalError } from './original-error';
import { ReplyPublisher } from './reply-publisher';
import { SubscriptionConsumer } from '../consumer/subscription-consumer';
import type { RocketMQMessage } from '../grpc/messaging-codec';

export const ROCKETMQ_TRANSPORT = Symbol('ROCKETMQ_TRANSPORT');

/** A handler with its resolved options: one consumer group's subscription to one topic. */
export interface RocketMQSubscription {
  topic: string;
  handler: MessageHandler;
  options: RocketMQHandlerOptions;
}

/**
 * A Nest microservice server for RocketMQ 5. Every `@EventPattern(topic)` / `@MessagePattern(topic)`
 * handler becomes its own subscription (consumer group, filter, concurrency, rate, retries), so one
 * service can consume several topics, or one topic under several groups.
 */
export class ServerRocketMQ extends Server<RocketMQEvents, RocketMQStatus> implements CustomTransportStrategy {
  /** Servers of this process that are listening: the health indicator reports on their subscriptions. */
  private static readonly listening = new Set<ServerRocketMQ>();
  override readonly transportId = ROCKETMQ_TRANSPORT;
  protected override readonly logger = new Logger(ServerRocketMQ.name);
  private readonly consumers: SubscriptionConsumer[] = [];
  private readonly listeners = new Map<keyof RocketMQEvents, Set<RocketMQEvents[keyof RocketMQEvents]>>();
  private readonly replies: ReplyPublisher;

  constructor(private readonly options: RocketMQServerOptions) {
    super();
    this.replies = new ReplyPublisher(options, this.options.logger ?? this.logger);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    this._status$.next(RocketMQStatus.CONNECTING);
    try {
      checkSupportedRuntime(this.options.logger ?? this.logger);
      const subscriptions = this.subscriptions();
      if (subscriptions.some((s) => !s.handler.isEventHandler)) await this.replies.start();
      for (const { topic, handler, options } of subscriptions) {
        const traced = processTracing(topic, options.group);
        const consumer = new SubscriptionConsumer(topic, options, this.options, (message) => this.dispatch(traced, options.group, handler, message), this.options.logger ?? this.logger, (event) =>
          this.emitLocal(RocketMQEventsMap.DEAD_LETTER, event),
        );
        await consumer.start();
        this.consumers.push(consumer);
        this.logger.log(`consuming ${topic} as ${options.group}${options.fifo ? ' (FIFO)' : ''}${options.broadcast ? ' (broadcast)' : ''}`);
      }
      ServerRocketMQ.listening.add(this);
      this._status$.next(RocketMQStatus.CONNECTED);
      callback();
    } catch (error) {
      this.emitLocal(RocketMQEventsMap.ERROR, error as Error);
      callback(error);
    }
  }

  async close(): Promise<void> {
    ServerRocketMQ.listening.delete(this);
    await Promise.all(this.consumers.map((consumer) => consumer.stop(this.drainTimeoutMs)));
    this.consumers.length = 0;
    await this.replies.stop();
    this._status$.next(RocketMQStatus.DISCONNECTED);
  }

  /**
   * Stops taking messages for `group` (every topic it consumes here) until resumeConsumption: its
   * backlog waits in the broker. Resolves once the handlers already running finished (bounded by the
   * shutdown timeout). Throws for a group this server does not consume.
   */
  async pauseConsumption(group: string): Promise<void> {
    await Promise.all(this.consumersOf(group).map((consumer) => consumer.pause(this.drainTimeoutMs)));
  }

  resumeConsumption(group: string): void {
    for (const consumer of this.consumersOf(group)) consumer.resume();
  }

  isConsumptionPaused(group: string): boolean {
    return this.consumersOf(group).every((consumer) => consumer.isPaused);
  }

  /** Each subscription of every listening server in this process, keyed `<topic> as <group>`: up while its receives succeed. */
  static subscriptionHealth(): Record<string, RocketMQComponentHealth> {
    const health: Record<string, RocketMQComponentHealth> = {};
    for (const server of ServerRocketMQ.listening) {
      for (const consumer of server.consumers) health[`${consumer.topic} as ${consumer.group}`] = consumer.health();
    }
    return health;
  }

  on<K extends keyof RocketMQEvents>(event: K, callback: RocketMQEvents[K]): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(callback);
  }

  unwrap<T>(): T {
    return this.consumers as T;
  }

  /** How long stopping or pausing waits for running handlers. */
  private get drainTimeoutMs(): number {
    return this.options.shutdownTimeoutMs ?? 10_000;
  }

  private consumersOf(group: string): SubscriptionConsumer[] {
    const consumers = this.consumers.filter((consumer) => consumer.group === group);
    if (consumers.length === 0) throw new Error(`this server consumes nothing as group ${group}`);
    return consumers;
  }

  /**
   * Each handler, and each handler Nest chained onto the same pattern, with its resolved options.
   * The chain is cut: every handler runs only for its own subscription's messages.
   */
  protected subscriptions(): RocketMQSubscription[] {
    const instanceId = instanceIdOf(this.options);
    const defaults = { ...this.options.handlerDefaults, group: this.options.handlerDefaults?.group ?? this.options.defaultGroup };
    const result: RocketMQSubscription[] = [];
    const seen = new Set<string>();
    for (const [topic, head] of this.messageHandlers) {
      const chain: MessageHandler[] = [];
      for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) chain.push(handler);
      for (const handler of chain) {
        handler.next = undefined;
        const options = resolveHandlerOptions(topic, (handler.extras ?? {}) as Partial<RocketMQHandlerOptions>, defaults, instanceId);
        // One group consuming one topic twice would split messages between the two handlers at random.
        const key = `${topic}\u0000${options.group}`;
        if (seen.has(key)) throw new Error(`two handlers consume ${topic} as group ${options.group}; give each its own group`);
        seen.add(key);
        result.push({ topic, handler, options });
      }
    }
    return result;
  }

  /** Traces and runs one handler; a thrown error reaches the consumer, which retries or dead-letters. */
  private dispatch(traced: TracedProcess, group: string, handler: MessageHandler, message: RocketMQMessage): Promise<void> {
    return traced(() => messageAttributes(message), message.properties, async () => {
      if (handler.isEventHandler) return void (await this.invoke(group, handler, message));
      // A request's failure is the requester's answer, not a reason to redeliver the request.
      const outcome = await this.invoke(group, handler, message).then(
        (response: unknown) => ({ response }),
        (error: unknown) => ({ error: describe(error) }),
      );
      await this.replies.reply(message, outcome);
    });
  }

  /**
   * Decodes the body and runs the handler through Nest's pipeline (guards, interceptors, pipes);
   * resolves with its result, or rejects with the error the handler or a pipe threw.
   */
  protected async invoke(group: string, handler: MessageHandler, message: RocketMQMessage): Promise<unknown> {
    if (message.corrupted) throw new RocketMQNonRetriableError('body does not match its digest');
    let data: unknown;
    try {
      data = await (this.options.deserializer ?? jsonBodyDeserializer).deserialize(message);
    } catch (error) {
      throw new RocketMQNonRetriableError(`undecodable body: ${(error as Error).message}`, { cause: error });
    }
    const context = new RocketMQContext([message, group]);
    // The hook may wrap the work (Nest's own transports use it for request scoping); it must call done.
    return new Promise<unknown>((resolve, reject) => {
      this.onProcessingStartHook(this.transportId, context, async () => {
        try {
          resolve(
            await withOriginalError(async () => {
              const resultOrStream = await handler(data, context);
              return isObservable(resultOrStream) ? await lastValueFrom(resultOrStream, { defaultValue: undefined }) : resultOrStream;
            }),
          );
        } catch (error) {
          reject(error);
        } finally {
          this.onProcessingEndHook?.(this.transportId, context);
        }
      });
    });
  }

  private emitLocal<K extends keyof RocketMQEvents>(event: K, ...args: Parameters<RocketMQEvents[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: Parameters<RocketMQEvents[K]>) => void)(...args);
  }
}

/** The span attributes of one delivered message. */
function messageAttributes(message: RocketMQMessage) {
  return { 'messaging.message.id': message.messageId, 'messaging.rocketmq.message.tag': message.tag ?? '', 'messaging.rocketmq.delivery_attempt': message.deliveryAttempt };
}
