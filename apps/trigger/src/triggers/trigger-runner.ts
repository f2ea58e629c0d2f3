import type { LoggerService } from '@nestjs/common';
import { type DeadLetterListener, resolveHandlerOptions, type RocketMQConnectionOptions, type RocketMQMessage, SubscriptionConsumer } from '@rocketmq-shop/rocketmq-transport';
import { BatchWindow } from './batch-window';
import { functionEventOf } from './function-event';
import { callFunction } from './function-target';
import type { TriggerDefinition } from './trigger-definition';

/** Counters of one trigger since it started, for GET /triggers. */
export interface TriggerStats {
  delivered: number;
  failedCalls: number;
  deadLettered: number;
  lastError?: string;
}

/**
 * One trigger at work: a subscription of its consumer group whose handler hands each message to a
 * batch window; a batch is one POST. Every message of a batch shares the POST's outcome, so the
 * transport's settlement acknowledges them, retries them with the trigger's backoff, or dead-letters
 * them after `maxAttempts` with the function's answer as the reason.
 */
export class TriggerRunner {
  readonly stats: TriggerStats = { delivered: 0, failedCalls: 0, deadLettered: 0 };
  private readonly consumer: SubscriptionConsumer;

  constructor(
    readonly definition: TriggerDefinition,
    connection: RocketMQConnectionOptions,
    logger: LoggerService,
    onDeadLetter: DeadLetterListener,
  ) {
    const { topic, consumerGroup, filter, batchSize, batchWindowMs, timeoutMs, retry, concurrency, targetUrl, name } = definition;
    const batches = new BatchWindow<RocketMQMessage>(batchSize, batchWindowMs, async (messages) => {
      try {
        await callFunction(targetUrl, messages.map((message) => functionEventOf(message, consumerGroup)), timeoutMs, name);
        this.stats.delivered += messages.length;
      } catch (error) {
        this.stats.failedCalls++;
        this.stats.lastError = (error as Error).message;
        throw error;
      }
    });
    const options = resolveHandlerOptions(
      topic,
      {
        group: consumerGroup,
        ...('sql' in filter ? { sql: filter.sql } : { tag: filter.tag }),
        // Each message waits in its batch: room for `concurrency` batches in flight.
        concurrency: batchSize * concurrency,
        batchSize: Math.min(32, batchSize * concurrency),
        maxAttempts: retry.maxAttempts,
        backoffMs: retry.backoffMs,
        // Longer than a call may take, so a message is not redelivered while its batch is being posted.
        invisibleDurationMs: batchWindowMs + timeoutMs + 10_000,
      },
      {},
      connection.instanceId ?? name,
    );
    this.consumer = new SubscriptionConsumer(topic, options, connection, (message) => batches.add(message), logger, (event) => {
      this.stats.deadLettered++;
      onDeadLetter(event);
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Stops receiving; batches being posted finish (bounded by the call timeout) and are settled. */
  stop(): Promise<void> {
    return this.consumer.stop(this.definition.batchWindowMs + this.definition.timeoutMs + 1_000);
  }
}
