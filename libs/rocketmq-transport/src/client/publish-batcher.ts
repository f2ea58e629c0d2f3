import { type BaseClient, TooManyRequestsException, UserAgent } from 'rocketmq-client-nodejs';
import { Coalescer, type CoalescingOptions } from '../batching/coalescer';
import { routeOf } from '../client-workarounds';
import { type DataPlane, OK, statusError } from '../grpc/data-plane';
import { GrpcCallError } from '../grpc/grpc-channel';
import { MessageType, type OutgoingMessage, type SendResult, type Status } from '../grpc/messaging-codec';
import { QueueSelector, endpointOf } from '../grpc/queue-selector';
import { sleep } from '../timing';

/** What a publish resolves with: the broker's id for the message, its queue offset and recall handle. */
export interface RocketMQSendReceipt {
  messageId: string;
  offset: number;
  recallHandle: string;
}

export interface PublishBatchOptions extends CoalescingOptions {
  /** Attempts per message when the server is unreachable or busy (the official client's default is 3). */
  maxAttempts: number;
}

/**
 * Two requests in flight: publishes gather into fewer, larger requests, each costing both sides per
 * call (ADR 0024). Up to 256 a request: batches only grow while both requests are out, and when the
 * broker is short of CPU its round trip sets the publish rate — at 64 a request a flash sale's
 * 2,000 publishes/s queued for seconds in the order service on a busy box (ADR 0027).
 */
export const DEFAULT_PUBLISH_BATCH: PublishBatchOptions = { maxItems: 256, maxBytes: 1024 * 1024, lingerMs: 0, maxInFlight: 2, maxAttempts: 3 };

/** A half message the broker stored: what its commit or rollback names, and where it must go. */
export interface HalfMessage {
  topic: string;
  messageId: string;
  transactionId: string;
  endpoint: string;
}

interface Pending {
  message: OutgoingMessage;
  resolve(entry: SendResult, endpoint: string): void;
  reject(error: unknown): void;
}

const BAD_REQUEST = { from: 40000, to: 42899 };
const TOO_MANY_REQUESTS = 42900;
const SERVER_ERRORS_FROM = 50000;
const RETRY_DELAY_MS = 100;

/**
 * Coalesces concurrent publishes of NORMAL, DELAY and TRANSACTION (half) messages into
 * SendMessageRequests of many messages of one topic and type (ADR 0010, ADR 0026); each caller gets
 * its own entry of the response: its message id (and transaction id), or its own error.
 */
export class PublishBatcher {
  private readonly coalescer: Coalescer<Pending>;
  private readonly queues: QueueSelector;
  private closed = false;

  constructor(
    client: BaseClient,
    private readonly dataPlane: DataPlane,
    private readonly options: PublishBatchOptions,
  ) {
    this.queues = new QueueSelector((topic) => routeOf(client, topic), 'write');
    this.coalescer = new Coalescer(options, (pending) => pending.message.body.length, (_key, batch) => this.send(batch[0].message.topic, batch, 1));
  }

  publish(message: OutgoingMessage): Promise<RocketMQSendReceipt> {
    return this.add(message, (entry) => ({ messageId: entry.messageId || message.messageId, offset: entry.offset, recallHandle: entry.recallHandle }));
  }

  /** Sends a TRANSACTION message once: like the official client, a half message is never sent again after a failure. */
  publishHalf(message: OutgoingMessage): Promise<HalfMessage> {
    return this.add(message, (entry, endpoint) => ({ topic: message.topic, messageId: entry.messageId || message.messageId, transactionId: entry.transactionId, endpoint }));
  }

  private add<R>(message: OutgoingMessage, receipt: (entry: SendResult, endpoint: string) => R): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the client is closed'));
    return new Promise((resolve, reject) =>
      this.coalescer.add(`${message.topic}\u0000${message.messageType}`, { message, resolve: (entry, endpoint) => resolve(receipt(entry, endpoint)), reject }),
    );
  }

  /** Sends what is still gathering and waits for every request in flight (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.coalescer.drain();
  }

  private async send(topic: string, batch: Pending[], attempt: number): Promise<void> {
    const maxAttempts = batch[0].message.messageType === MessageType.TRANSACTION ? 1 : this.options.maxAttempts;
    let status: Status;
    let entries: SendResult[];
    let endpoint: string;
    try {
      const queue = await this.queues.next(topic);
      endpoint = endpointOf(queue);
      ({ status, entries } = await this.dataPlane.send(endpoint, batch.map((p) => p.message), queue.queueId, UserAgent.INSTANCE.hostname));
    } catch (error) {
      if (attempt < maxAttempts && isTransient(error)) return this.retry(topic, batch, attempt);
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (entries.length !== batch.length) return this.refused(topic, batch, status, entries.length, attempt, maxAttempts);
    const again: Pending[] = [];
    batch.forEach((pending, i) => {
      const entry = entries[i];
      if (entry.status.code === OK) pending.resolve(entry, endpoint);
      else if (attempt < maxAttempts && isTransientStatus(entry.status)) again.push(pending);
      else pending.reject(statusError(entry.status));
    });
    if (again.length > 0) await this.retry(topic, again, attempt);
  }

  /**
   * The whole request was refused without an entry per message. The Apache proxy does that when one
   * message of a batch fails validation; sent alone, each message gets its own answer.
   */
  private async refused(topic: string, batch: Pending[], status: Status, answered: number, attempt: number, maxAttempts: number): Promise<void> {
    if (batch.length > 1 && status.code >= BAD_REQUEST.from && status.code <= BAD_REQUEST.to) {
      await Promise.all(batch.map((pending) => this.send(topic, [pending], attempt)));
      return;
    }
    if (attempt < maxAttempts && isTransientStatus(status)) return this.retry(topic, batch, attempt);
    const error = status.code === OK ? new Error(`SendMessage answered ${answered} entries for ${batch.length} messages`) : statusError(status);
    for (const pending of batch) pending.reject(error);
  }

  private async retry(topic: string, batch: Pending[], attempt: number): Promise<void> {
    await sleep(RETRY_DELAY_MS * attempt);
    await this.send(topic, batch, attempt + 1);
  }
}

/** Unreachable, reset or timed out: the messages may not have arrived, so they are sent again (at least once). */
function isTransient(error: unknown): boolean {
  return error instanceof GrpcCallError || error instanceof TooManyRequestsException;
}

function isTransientStatus(status: Status): boolean {
  return status.code === TOO_MANY_REQUESTS || status.code >= SERVER_ERRORS_FROM;
}
