import { randomUUID } from 'node:crypto';
import { ClientRocketMQ, type RocketMQHalfMessageReceipt } from '../client/client-rocketmq';
import type { RocketMQSendReceipt } from '../client/publish-batcher';
import type { RocketMQRecordOptions } from '../record-builders/rocketmq.record-builder';
import type { RocketMQClientOptions, RocketMQComponentHealth } from '../rocketmq.options';

/** A message the test client took: what the code under test published (or committed in a transaction). */
export interface PublishedMessage {
  topic: string;
  data: unknown;
  options: RocketMQRecordOptions;
  messageId: string;
  transactional: boolean;
}

/**
 * An in-memory ClientRocketMQ for unit tests: no broker, no network. It records what is published
 * (`publishMessage`, `emit`, and `sendInTransaction` once its local work resolved); a transaction
 * without a registered check fails as it does against a broker. Provide it in place of the client:
 * `{ provide: ClientRocketMQ, useValue: new RocketMQTestClient() }`. `send()` (request/reply) is not
 * simulated: it errors as a client without a reply topic does.
 */
export class RocketMQTestClient extends ClientRocketMQ {
  readonly published: PublishedMessage[] = [];
  private failure: Error | undefined;

  constructor(options: Partial<RocketMQClientOptions> = {}) {
    super({ endpoints: 'in-memory', ...options, replyTopic: undefined });
  }

  /** The payloads published to `topic`, in order. */
  publishedTo(topic: string): unknown[] {
    return this.published.filter((message) => message.topic === topic).map((message) => message.data);
  }

  /** Makes every publish fail with `error` (the broker unreachable, say) until called with undefined. */
  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  override async connect(): Promise<void> {}

  override async close(): Promise<void> {}

  override async health(): Promise<RocketMQComponentHealth> {
    return this.failure ? { up: false, reason: this.failure.message } : { up: true };
  }

  override async publishMessage(topic: string, data: unknown, options: RocketMQRecordOptions = {}): Promise<RocketMQSendReceipt> {
    if (this.failure) throw this.failure;
    const messageId = randomUUID();
    this.published.push({ topic, data, options, messageId, transactional: false });
    return { messageId, offset: this.published.length - 1, recallHandle: '' };
  }

  override async sendInTransaction<T>(
    topic: string,
    data: unknown,
    localWork: (receipt: RocketMQHalfMessageReceipt) => Promise<T>,
    options: RocketMQRecordOptions = {},
  ): Promise<T> {
    this.assertTransactionCheck(topic);
    if (this.failure) throw this.failure;
    const receipt = { messageId: randomUUID(), transactionId: randomUUID() };
    const result = await localWork(receipt);
    this.published.push({ topic, data, options, messageId: receipt.messageId, transactional: true });
    return result;
  }
}
