import { createHmac, randomUUID } from 'node:crypto';
import { type Client, credentials, makeGenericClientConstructor, Metadata } from '@grpc/grpc-js';
import { loadGenericService } from '../../src/protocol/proto';

/** A response's status as the generic loader decodes it: codes as enum names. */
export interface RawStatus {
  code: string;
  message: string;
}

type Callback = (error: Error | null, response: Record<string, unknown>) => void;
type Unary = (request: unknown, metadata: Metadata, callback: Callback) => void;
type Streaming = (request: unknown, metadata: Metadata, options: { deadline: number }) => NodeJS.ReadableStream;
type Duplex = (metadata: Metadata) => NodeJS.EventEmitter & { write(command: unknown): boolean; end(): void };

/**
 * MessagingService calls with exactly the fields and headers a test chooses, for what the official
 * client refuses to send (forged receipt handles, oversized fields, other client languages).
 */
export class RawRpc {
  private readonly client: Client & Record<string, Unary | Streaming | Duplex>;

  constructor(
    endpoint: string,
    readonly clientId = `raw-${randomUUID()}`,
  ) {
    const Constructor = makeGenericClientConstructor(loadGenericService(), 'MessagingService');
    this.client = new Constructor(endpoint, credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 }) as unknown as RawRpc['client'];
  }

  unary<R = Record<string, unknown>>(method: string, request: unknown, headers: Record<string, string> = {}): Promise<R & { status: RawStatus }> {
    return new Promise((resolve, reject) => {
      (this.client[method] as Unary)(request, this.metadata(headers), (error, response) => (error ? reject(error) : resolve(response as R & { status: RawStatus })));
    });
  }

  /** Every response of one ReceiveMessage call, in order. */
  receive(request: unknown, waitMs: number, headers: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
    return new Promise((resolve, reject) => {
      const responses: Record<string, unknown>[] = [];
      const stream = (this.client.ReceiveMessage as Streaming)(request, this.metadata(headers), { deadline: Date.now() + waitMs });
      stream.on('data', (response: Record<string, unknown>) => responses.push(response));
      stream.on('error', reject);
      stream.on('end', () => resolve(responses));
    });
  }

  /** Opens Telemetry, sends one settings command and resolves with the broker's first answer. */
  settings(settings: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const stream = (this.client.Telemetry as Duplex)(this.metadata(headers));
      stream.once('data', (response: Record<string, unknown>) => {
        resolve(response);
        stream.end();
      });
      stream.on('error', (error: Error & { code?: number }) => (error.code === 1 ? undefined : reject(error)));
      stream.write({ settings });
    });
  }

  close(): void {
    this.client.close();
  }

  private metadata(headers: Record<string, string> = {}): Metadata {
    const metadata = new Metadata();
    metadata.set('x-mq-client-id', this.clientId);
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    return metadata;
  }
}

/** `yyyyMMddTHHmmssZ` of a moment, as the clients write x-mq-date-time. */
export function dateTimeOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The headers the official client signs a call with (MQv2-HMAC-SHA1 over x-mq-date-time). */
export function signedHeaders(accessKey: string, secretKey: string, dateTime = dateTimeOf(Date.now())): Record<string, string> {
  const signature = createHmac('sha1', secretKey).update(dateTime).digest('hex').toUpperCase();
  return { authorization: `MQv2-HMAC-SHA1 Credential=${accessKey}, SignedHeaders=x-mq-date-time, Signature=${signature}`, 'x-mq-date-time': dateTime };
}
