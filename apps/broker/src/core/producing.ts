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
    const [result] = await this.sendAll([draft]);
    if (result instanceof Error) throw result;
    return result;
  }

  /**
   * The messages of one SendMessage request, in order; an Error in the input (a message that failed
   * validation) stays that message's result. Appended messages share one wait for durability, so a
   * batch costs the broker a few promises, not a few per message. Resolves once all are durable.
   */
  async sendAll(drafts: readonly (MessageDraft | Error)[]): Promise<(SendResult | Error)[]> {
    const topics = await this.topicsOf(drafts);
    const results: (SendResult | Error)[] = [];
    const staged: Promise<void>[] = [];
    const appended: { index: number; topic: Topic; draft: MessageDraft }[] = [];
    for (const [index, draft] of drafts.entries()) {
      if (draft instanceof Error) {
        results[index] = draft;
        continue;
      }
      try {
        const topic = this.admit(topics.get(draft.topic)!, draft);
        if (draft.type === 'TRANSACTION' || (draft.deliverAt !== undefined && draft.deliverAt > this.clock.now())) {
          staged.push(
            this.transactions.stage(draft).then(
              (result) => void (results[index] = { ...result, transactionId: draft.messageId, queueId: 0, offset: 0 }),
              (error: unknown) => void (results[index] = asError(error)),
            ),
          );
        } else appended.push({ index, topic, draft });
      } catch (error) {
        results[index] = asError(error);
      }
    }
    const { messages, durable } = this.appender.appendAll(appended);
    const failure = await durable.then(() => undefined, asError);
    appended.forEach(({ index, draft }, i) => {
      const { queueId, offset } = messages[i];
      results[index] = failure ?? { messageId: draft.messageId, transactionId: draft.messageId, queueId, offset };
    });
    await Promise.all(staged);
    return results;
  }

  private admit(topic: Topic | Error, draft: MessageDraft): Topic {
    if (topic instanceof Error) throw topic;
    if (!topic.accepts(draft.type)) {
      throw new BrokerError(Code.MESSAGE_PROPERTY_CONFLICT_WITH_TYPE, `current message type ${draft.type} does not match topic ${topic.name} of type ${topic.type}`);
    }
    this.flowControl.check(1);
    this.metrics.received(topic.name, draft.type);
    return topic;
  }

  /** Each topic named in the batch, looked up (or auto-created) once. */
  private async topicsOf(drafts: readonly (MessageDraft | Error)[]): Promise<Map<string, Topic | Error>> {
    const names = new Set<string>();
    for (const draft of drafts) if (!(draft instanceof Error)) names.add(draft.topic);
    const topics = new Map<string, Topic | Error>();
    await Promise.all([...names].map((name) => this.topicForSend(name).then((topic) => topics.set(name, topic), (error: unknown) => topics.set(name, asError(error)))));
    return topics;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
