import type { BrokerMetrics } from '../admin/metrics';
import { BrokerError, Code } from '../errors';
import type { MessageDraft } from '../messaging/message';
import type { Topic } from '../messaging/topic';
import type { Clock } from '../scheduling/clock';
import type { FlowControl } from './flow-control';
import type { MessageAppender } from './message-appender';
import type { Transactions } from './transactions';

export interface SendResult {
  messageId: string;
  transactionId: string;
  /** The queue and offset the message went to (0 and 0 for staged messages, which have none yet). */
  queueId: number;
  offset: number;
  recallHandle?: string;
}

/** SendMessage: checks type and flow control, then appends (NORMAL, FIFO) or stages (TRANSACTION, future DELAY). */
export class Producing {
  constructor(
    private readonly topicForSend: (name: string) => Promise<Topic>,
    private readonly appender: MessageAppender,
    private readonly transactions: Transactions,
    private readonly flowControl: FlowControl,
    private readonly clock: Clock,
    private readonly metrics: BrokerMetrics,
  ) {}

  /** Resolves once the message is durable. */
  async send(draft: MessageDraft): Promise<SendResult> {
    const topic = await this.topicForSend(draft.topic);
    if (!topic.accepts(draft.type)) {
      throw new BrokerError(Code.MESSAGE_PROPERTY_CONFLICT_WITH_TYPE, `current message type ${draft.type} does not match topic ${topic.name} of type ${topic.type}`);
    }
    this.flowControl.check(1);
    this.metrics.received(topic.name, draft.type);
    if (draft.type === 'TRANSACTION' || (draft.deliverAt !== undefined && draft.deliverAt > this.clock.now())) {
      const staged = await this.transactions.stage(draft);
      return { ...staged, transactionId: draft.messageId, queueId: 0, offset: 0 };
    }
    const { message, durable } = this.appender.append(topic, draft);
    await durable;
    return { messageId: draft.messageId, transactionId: draft.messageId, queueId: message.queueId, offset: message.offset };
  }
}
