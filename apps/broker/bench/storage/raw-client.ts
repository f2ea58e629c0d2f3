import { randomUUID } from 'node:crypto';
import { type Client, credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadMessagingService } from '../../src/protocol/proto';

/** Codes arrive as enum names: the loader of the client's .proto files maps enums to strings. */
interface Status {
  code: string;
  message: string;
}

export interface RawMessage {
  messageId: string;
  receiptHandle: string;
  body: Buffer;
}

type Unary = (request: unknown, metadata: Metadata, callback: (error: ServiceError | null, response: { status: Status; entries?: { status: Status }[] }) => void) => void;
type Streaming = (request: unknown, metadata: Metadata, options: { deadline: number }) => NodeJS.ReadableStream;

const OK = 'OK';
const NO_MESSAGE = 'MESSAGE_NOT_FOUND';

/**
 * A bare MessagingService client for load generation: batched SendMessage, ReceiveMessage and
 * batched AckMessage, so the broker's cost per message is measured without a client's overhead.
 */
export class RawClient {
  private readonly client: Client & Record<string, Unary | Streaming>;
  private readonly clientId = `raw-${randomUUID()}`;

  constructor(endpoint: string) {
    const Constructor = makeGenericClientConstructor(loadMessagingService(), 'MessagingService');
    this.client = new Constructor(endpoint, credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 }) as unknown as RawClient['client'];
  }

  /** One SendMessage with all `bodies` (one topic); resolves when every entry is OK. */
  send(topic: string, bodies: Buffer[]): Promise<void> {
    const now = Date.now();
    const messages = bodies.map((body) => ({
      topic: { name: topic },
      systemProperties: { messageId: randomUUID().replaceAll('-', '').toUpperCase(), bodyEncoding: 'IDENTITY', messageType: 'NORMAL', bornTimestamp: { seconds: Math.floor(now / 1000), nanos: 0 }, bornHost: 'bench' },
      body,
    }));
    return this.unary('SendMessage', { messages }).then((response) => {
      const failed = response.entries?.find((entry) => entry.status.code !== OK);
      if (failed) throw new Error(`send failed: ${failed.status.code} ${failed.status.message}`);
    });
  }

  /** One ReceiveMessage: up to `batch` messages, waiting at most `waitMs` for the first. */
  receive(group: string, topic: string, batch: number, invisibleMs = 30_000, waitMs = 5_000): Promise<RawMessage[]> {
    const request = {
      group: { name: group },
      messageQueue: { topic: { name: topic }, id: -1 },
      filterExpression: { type: 'TAG', expression: '*' },
      batchSize: batch,
      invisibleDuration: { seconds: Math.floor(invisibleMs / 1000), nanos: 0 },
      autoRenew: false,
      longPollingTimeout: { seconds: Math.floor(waitMs / 1000), nanos: 0 },
    };
    return new Promise((resolve, reject) => {
      const messages: RawMessage[] = [];
      const stream = (this.client.ReceiveMessage as Streaming)(request, this.metadata(), { deadline: Date.now() + waitMs + 3000 });
      stream.on('data', (response: { status?: Status; message?: { systemProperties: { messageId: string; receiptHandle: string }; body: Buffer } }) => {
        if (response.status && response.status.code !== OK && response.status.code !== NO_MESSAGE) reject(new Error(`receive failed: ${response.status.code} ${response.status.message}`));
        if (response.message) messages.push({ messageId: response.message.systemProperties.messageId, receiptHandle: response.message.systemProperties.receiptHandle, body: response.message.body });
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(messages));
    });
  }

  async ack(group: string, topic: string, messages: RawMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const response = await this.unary('AckMessage', { group: { name: group }, topic: { name: topic }, entries: messages.map((m) => ({ messageId: m.messageId, receiptHandle: m.receiptHandle })) });
    if (response.status.code !== OK) throw new Error(`ack failed: ${response.status.code} ${response.status.message}`);
  }

  close(): void {
    this.client.close();
  }

  private unary(method: string, request: unknown): Promise<{ status: Status; entries?: { status: Status }[] }> {
    return new Promise((resolve, reject) => {
      (this.client[method] as Unary)(request, this.metadata(), (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  private metadata(): Metadata {
    const metadata = new Metadata();
    metadata.set('x-mq-client-id', this.clientId);
    return metadata;
  }
}
