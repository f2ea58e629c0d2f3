import { type BaseClient, TooManyRequestsException, UserAgent } from 'rocketmq-client-nodejs';
import { routeOf } from '../client-workarounds';
import type { DataPlane } from '../grpc/data-plane';
import { OK, statusError } from '../grpc/data-plane';
import { GrpcCallError } from '../grpc/grpc-channel';
import type { OutgoingMessage, SendResult, Status } from '../grpc/messaging-codec';
import { sleep } from '../timing';
import { PublishTargets } from './publish-targets';

/** What a publish resolves with: the broker's id for the message, its queue offset and recall handle. */
export interface RocketMQSendReceipt {
  messageId: string;
  offset: number;
  recallHandle: string;
}

export interface PublishBatchOptions {
  /** Messages per SendMessageRequest at most. */
  maxMessages: number;
  /** Body bytes per request at most (a larger message travels alone). */
  maxBytes: number;
  /** How long a message waits for company while a request could go out, ms. */
  lingerMs: number;
  /** SendMessage requests in flight at once; while all are out, messages gather for the next one. */
  maxRequestsInFlight: number;
  /** Attempts per message when the server is unreachable or busy (the official client's default is 3). */
  maxAttempts: number;
}

export const DEFAULT_PUBLISH_BATCH: PublishBatchOptions = { maxMessages: 32, maxBytes: 1024 * 1024, lingerMs: 1, maxRequestsInFlight: 4, maxAttempts: 3 };

interface Pending {
  message: OutgoingMessage;
  resolve(receipt: RocketMQSendReceipt): void;
  reject(error: unknown): void;
}

/** Messages waiting for one topic and message type (a request carries one topic, and one type keeps the proxy's checks simple). */
interface Gathering {
  topic: string;
  pending: Pending[];
  bytes: number;
  timer: NodeJS.Timeout | undefined;
}

const BAD_REQUEST_CODES = { from: 40000, to: 42899 };
const RETRY_DELAY_MS = 100;

/**
 * Coalesces concurrent publishes of NORMAL and DELAY messages into SendMessageRequests of many
 * messages (ADR 0010). A request leaves when it is full (count or bytes), when its linger ends, or
 * when a request in flight completes; each caller gets its own entry of the response: its message
 * id, or its own error.
 */
export class PublishBatcher {
  private readonly gatherings = new Map<string, Gathering>();
  private readonly sending = new Set<Promise<void>>();
  private readonly targets: PublishTargets;
  private closed = false;

  constructor(
    client: BaseClient,
    private readonly dataPlane: DataPlane,
    private readonly options: PublishBatchOptions,
  ) {
    this.targets = new PublishTargets((topic) => routeOf(client, topic));
  }

  publish(message: OutgoingMessage): Promise<RocketMQSendReceipt> {
    if (this.closed) return Promise.reject(new Error('the client is closed'));
    return new Promise((resolve, reject) => {
      const key = `${message.topic}\u0000${message.messageType}`;
      let gathering = this.gatherings.get(key);
      if (!gathering) this.gatherings.set(key, (gathering = { topic: message.topic, pending: [], bytes: 0, timer: undefined }));
      gathering.pending.push({ message, resolve, reject });
      gathering.bytes += message.body.length;
      if (gathering.pending.length >= this.options.maxMessages || gathering.bytes >= this.options.maxBytes) this.flush(gathering);
      else gathering.timer ??= setTimeout(() => this.flush(gathering), this.options.lingerMs);
    });
  }

  /** Sends everything still gathering and waits for every request in flight (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.sending.size > 0 || [...this.gatherings.values()].some((g) => g.pending.length > 0)) {
      for (const gathering of this.gatherings.values()) this.flush(gathering);
      await Promise.allSettled([...this.sending]);
    }
  }

  private flush(gathering: Gathering): void {
    clearTimeout(gathering.timer);
    gathering.timer = undefined;
    while (gathering.pending.length > 0 && this.sending.size < this.options.maxRequestsInFlight) {
      const batch = this.take(gathering);
      const sent: Promise<void> = this.send(gathering.topic, batch, 1).finally(() => {
        this.sending.delete(sent);
        this.flushWaiting();
      });
      this.sending.add(sent);
    }
  }

  /** A request completed: what gathered meanwhile goes out now rather than after its linger. */
  private flushWaiting(): void {
    for (const gathering of this.gatherings.values()) {
      if (this.sending.size >= this.options.maxRequestsInFlight) return;
      if (gathering.pending.length > 0) this.flush(gathering);
    }
  }

  private take(gathering: Gathering): Pending[] {
    let count = 0;
    let bytes = 0;
    while (count < gathering.pending.length && count < this.options.maxMessages) {
      const size = gathering.pending[count].message.body.length;
      if (count > 0 && bytes + size > this.options.maxBytes) break;
      bytes += size;
      count++;
    }
    gathering.bytes -= bytes;
    return gathering.pending.splice(0, count);
  }

  private async send(topic: string, batch: Pending[], attempt: number): Promise<void> {
    let status: Status;
    let entries: SendResult[];
    try {
      const target = await this.targets.next(topic);
      ({ status, entries } = await this.dataPlane.send(target.endpoint, batch.map((p) => p.message), target.queueId, UserAgent.INSTANCE.hostname));
    } catch (error) {
      if (attempt < this.options.maxAttempts && isTransient(error)) return this.retry(topic, batch, attempt);
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (entries.length !== batch.length) return this.refused(topic, batch, status, entries.length, attempt);
    const again: Pending[] = [];
    batch.forEach((pending, i) => {
      const entry = entries[i];
      if (entry.status.code === OK) pending.resolve({ messageId: entry.messageId || pending.message.messageId, offset: entry.offset, recallHandle: entry.recallHandle });
      else if (attempt < this.options.maxAttempts && isTransientStatus(entry.status)) again.push(pending);
      else pending.reject(statusError(entry.status));
    });
    if (again.length > 0) await this.retry(topic, again, attempt);
  }

  /**
   * The whole request was refused without an entry per message. The Apache proxy does that when one
   * message of a batch fails validation; sent alone, each message gets its own answer.
   */
  private async refused(topic: string, batch: Pending[], status: Status, answered: number, attempt: number): Promise<void> {
    if (batch.length > 1 && status.code >= BAD_REQUEST_CODES.from && status.code <= BAD_REQUEST_CODES.to) {
      await Promise.all(batch.map((pending) => this.send(topic, [pending], attempt)));
      return;
    }
    if (attempt < this.options.maxAttempts && isTransientStatus(status)) return this.retry(topic, batch, attempt);
    const error = status.code === OK ? new Error(`SendMessage answered ${answered} entries for ${batch.length} messages`) : statusError(status);
    for (const pending of batch) pending.reject(error);
  }

  private async retry(topic: string, batch: Pending[], attempt: number): Promise<void> {
    await sleep(RETRY_DELAY_MS * attempt);
    await this.send(topic, batch, attempt + 1);
  }
}

/** Unreachable, reset or timed out: the message may not have arrived, so it is sent again (at least once). */
function isTransient(error: unknown): boolean {
  return error instanceof GrpcCallError || error instanceof TooManyRequestsException;
}

function isTransientStatus(status: Status): boolean {
  return status.code === 42900 || status.code >= 50000;
}
