import type { MessageDraft, StoredMessage } from '../messaging/message';
import type { Topic } from '../messaging/topic';
import { messageMeta } from '../persistence/log-records';
import type { MessageLog } from '../persistence/message-log';
import type { Clock } from '../scheduling/clock';
import type { LongPolling } from '../scheduling/long-polling';

/**
 * Puts a message into its topic: the server picks the queue, the log stores the record, the queue
 * index lists it, and consumers see it only once it is durable (a crash can never take back a
 * message a consumer already handled). Producers, transaction commits, delay releases and
 * dead-lettering all append through here.
 */
export class MessageAppender {
  constructor(
    private readonly log: MessageLog,
    private readonly polling: LongPolling,
    private readonly clock: Clock,
  ) {}

  /** `releases` names the staged message this one replaces; `transactionId` travels with a committed half message. */
  append(topic: Topic, draft: MessageDraft, extra: { releases?: string; transactionId?: string } = {}): { message: StoredMessage; durable: Promise<void> } {
    const queue = topic.chooseQueue(draft.messageGroup);
    const placement = { topicId: topic.id, queueId: queue.id, offset: queue.maxOffset, storedAt: this.clock.now(), transactionId: extra.transactionId };
    const { message, entry, durable } = this.log.appendMessage(messageMeta(draft, placement, extra.releases), draft.body);
    queue.append(entry);
    const visible = durable.then(() => {
      queue.markDurable(message.offset);
      this.polling.notify(topic.name);
    });
    // Releases and dead-letter copies do not await this; a failed sync fails the log for everyone anyway.
    visible.catch(() => undefined);
    return { message, durable: visible };
  }
}
