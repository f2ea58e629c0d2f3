import type { Logger } from 'pino';
import type { Broker } from '../../broker';
import { BrokerError, Code } from '../../errors';
import { checkTopicName } from '../../messaging/names';
import { decodeMessage } from '../message-codec';
import { OK, combinedStatus, statusOf } from '../status';
import type { Resource, WireMessage } from '../wire';
import type { Request } from './request';

/** SendMessage, EndTransaction and RecallMessage. */
export class ProducerActivity {
  constructor(
    private readonly broker: Broker,
    private readonly logger: Logger,
  ) {}

  async sendMessage({ request, permissions }: Request<{ messages?: WireMessage[] }>) {
    const messages = request.messages ?? [];
    if (messages.length === 0) throw new BrokerError(Code.BAD_REQUEST, 'no message to send');
    const ended = this.broker.metrics.sendLatency.startTimer();
    const now = Date.now();
    const drafts = messages.map((message) => {
      try {
        const draft = decodeMessage(message, this.broker.config, now);
        permissions.requirePublish(draft.topic);
        return draft;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    const results = await this.broker.producing.sendAll(drafts);
    const entries = results.map((result, i) =>
      result instanceof Error ? { status: statusOf(result), messageId: messages[i].systemProperties?.messageId ?? '' } : { status: OK, ...result },
    );
    ended();
    return { status: combinedStatus(entries.map((e) => e.status)), entries };
  }

  async endTransaction({ request, permissions }: Request<{ topic?: Resource; messageId?: string; transactionId?: string; resolution?: string; source?: string }>) {
    const topic = checkTopicName(request.topic?.name);
    permissions.requirePublish(topic);
    if (request.resolution !== 'COMMIT' && request.resolution !== 'ROLLBACK') {
      throw new BrokerError(Code.BAD_REQUEST, `transaction resolution ${request.resolution ?? 'UNSPECIFIED'} must be COMMIT or ROLLBACK`);
    }
    await this.broker.transactions.endTransaction(topic, request.transactionId ?? '', request.messageId ?? '', request.resolution === 'COMMIT');
    this.logger.debug({ topic, transactionId: request.transactionId, resolution: request.resolution, source: request.source }, 'transaction ended');
    return { status: OK };
  }

  async recallMessage({ request, permissions }: Request<{ topic?: Resource; recallHandle?: string }>) {
    const topic = checkTopicName(request.topic?.name);
    permissions.requirePublish(topic);
    const messageId = await this.broker.transactions.recall(topic, request.recallHandle ?? '');
    return { status: OK, messageId };
  }
}
