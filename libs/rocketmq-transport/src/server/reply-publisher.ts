import type { LoggerService } from '@nestjs/common';
import { Producer } from 'rocketmq-client-nodejs';
import { HEADERS, encodeBody } from '../codec';
import { shutdownQuietly, startClient } from '../client-workarounds';
import { clientOptions } from '../connection';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import type { RocketMQServerOptions } from '../rocketmq.options';

/**
 * RocketMQ 5 has no native request/reply: `@MessagePattern` handlers publish their result to the
 * requester's reply topic, tagged with the requester's id so only it receives the reply.
 */
export class ReplyPublisher {
  private producer: Producer | undefined;

  constructor(
    private readonly options: RocketMQServerOptions,
    private readonly logger: LoggerService,
  ) {}

  async start(): Promise<void> {
    this.producer = await startClient(() => new Producer(clientOptions(this.options, this.logger)), this.options, 'reply producer', this.logger);
  }

  async reply(request: RocketMQMessage, outcome: { response?: unknown; error?: string }): Promise<void> {
    const topic = request.properties.get(HEADERS.replyTopic);
    const replyTo = request.properties.get(HEADERS.replyTo);
    const correlationId = request.properties.get(HEADERS.correlationId);
    if (!topic || !replyTo || !correlationId || !this.producer) {
      this.logger.warn(`message ${request.messageId} on ${request.topic} reached a @MessagePattern handler without reply headers; result dropped`);
      return;
    }
    const { body, contentType } = encodeBody(outcome.response);
    const properties = new Map<string, string>([[HEADERS.correlationId, correlationId], [HEADERS.contentType, contentType]]);
    if (outcome.error !== undefined) properties.set(HEADERS.error, outcome.error);
    await this.producer.send({ topic, tag: replyTo, body, properties });
  }

  async stop(): Promise<void> {
    await shutdownQuietly(this.producer);
    this.producer = undefined;
  }
}
