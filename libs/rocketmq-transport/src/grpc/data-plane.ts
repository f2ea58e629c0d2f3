import type { OutgoingHttpHeaders } from 'node:http2';
import { type BaseClient, StatusChecker } from 'rocketmq-client-nodejs';
import { GrpcChannel } from './grpc-channel';
import {
  type AckResult,
  type OutgoingMessage,
  type ReceiveParameters,
  type RocketMQMessage,
  type SendResult,
  type Status,
  decodeAckMessageResponse,
  decodeChangeInvisibleDurationResponse,
  decodeEndTransactionResponse,
  decodeReceiveMessageResponse,
  decodeSendMessageResponse,
  encodeAckMessageRequest,
  encodeChangeInvisibleDurationRequest,
  encodeEndTransactionRequest,
  encodeReceiveMessageRequest,
  encodeSendMessageRequest,
} from './messaging-codec';

const SERVICE = '/apache.rocketmq.v2.MessagingService/';
export const OK = 20000;
const MESSAGE_NOT_FOUND = 40401;

/**
 * The hot RPCs of one official client (Producer or SimpleConsumer), on channels of our own (ADR 0010):
 * SendMessage with many messages, EndTransaction, ReceiveMessage, AckMessage with many entries,
 * ChangeInvisibleDuration.
 * Every call carries the official client's request metadata (client id, namespace, AK/SK signature),
 * so the server sees one client, whose settings the official client keeps in sync over Telemetry.
 */
export class DataPlane {
  private readonly channels = new Map<string, GrpcChannel>();

  constructor(
    private readonly client: BaseClient,
    private readonly options: { namespace: string; tls: boolean; requestTimeoutMs: number },
  ) {}

  get namespace(): string {
    return this.options.namespace;
  }

  async send(endpoint: string, messages: readonly OutgoingMessage[], queueId: number, bornHost: string): Promise<{ status: Status; entries: SendResult[] }> {
    const request = encodeSendMessageRequest(messages, this.options.namespace, queueId, bornHost);
    const [response] = await this.call(endpoint, 'SendMessage', request, this.options.requestTimeoutMs);
    return decodeSendMessageResponse(response);
  }

  /** Commits or rolls back a half message at the endpoint that stored it; throws the official client's exception for a failed status. */
  async endTransaction(endpoint: string, half: { topic: string; messageId: string; transactionId: string }, commit: boolean): Promise<void> {
    const request = encodeEndTransactionRequest(this.options.namespace, half.topic, half.messageId, half.transactionId, commit);
    const [response] = await this.call(endpoint, 'EndTransaction', request, this.options.requestTimeoutMs);
    const status = decodeEndTransactionResponse(response);
    if (status.code !== OK) throwStatus(status);
  }

  /** Long-polls; resolves with the delivered messages (none when the poll found nothing). */
  async receive(endpoint: string, parameters: Omit<ReceiveParameters, 'namespace'>): Promise<RocketMQMessage[]> {
    const request = encodeReceiveMessageRequest({ ...parameters, namespace: this.options.namespace });
    const responses = await this.call(endpoint, 'ReceiveMessage', request, this.options.requestTimeoutMs + parameters.longPollingMs);
    const messages: RocketMQMessage[] = [];
    let status: Status | undefined;
    for (const response of responses) {
      const content = decodeReceiveMessageResponse(response, endpoint);
      if (content.message) messages.push(content.message);
      else if (content.status) status ??= content.status;
    }
    if (status && status.code !== OK && status.code !== MESSAGE_NOT_FOUND) throwStatus(status);
    return messages;
  }

  async ack(endpoint: string, group: string, topic: string, entries: readonly { messageId: string; receiptHandle: string }[]): Promise<{ status: Status; entries: AckResult[] }> {
    const request = encodeAckMessageRequest(this.options.namespace, group, topic, entries);
    const [response] = await this.call(endpoint, 'AckMessage', request, this.options.requestTimeoutMs);
    return decodeAckMessageResponse(response);
  }

  /** Resolves with the message's new receipt handle. */
  async changeInvisibleDuration(group: string, message: RocketMQMessage, invisibleMs: number): Promise<string> {
    const request = encodeChangeInvisibleDurationRequest(this.options.namespace, group, message, invisibleMs);
    const [response] = await this.call(message.endpoint, 'ChangeInvisibleDuration', request, this.options.requestTimeoutMs);
    const { status, receiptHandle } = decodeChangeInvisibleDurationResponse(response);
    if (status.code !== OK) throwStatus(status);
    return receiptHandle;
  }

  close(): void {
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
  }

  private async call(endpoint: string, method: string, request: Buffer, timeoutMs: number): Promise<Buffer[]> {
    let channel = this.channels.get(endpoint);
    if (!channel) this.channels.set(endpoint, (channel = new GrpcChannel(endpoint, this.options.tls)));
    const responses = await channel.call(SERVICE + method, request, this.headers(), timeoutMs);
    if (responses.length === 0) throw new Error(`${method} to ${endpoint} answered no message`);
    return responses;
  }

  /** The official client's metadata, fresh per call: its date-time header is what the signature signs. */
  private headers(): OutgoingHttpHeaders {
    return this.client.getRequestMetadata().toHttp2Headers();
  }
}

/** Throws the official client's exception for a failed status (BadRequestException, TooManyRequestsException, …). */
function throwStatus(status: Status): never {
  StatusChecker.check(status);
  // StatusChecker passes OK, MULTIPLE_RESULTS and MESSAGE_NOT_FOUND; a caller that got here expected none of them.
  throw new Error(`status ${status.code}: ${status.message}`);
}

/** The error a failed entry of a batch settles its caller with. */
export function statusError(status: Status): Error {
  try {
    throwStatus(status);
  } catch (error) {
    return error as Error;
  }
}
