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
    const { message, queue, durable } = this.place(topic, draft, extra);
    const visible = durable.then(() => {
      queue.markDurable(message.offset);
      this.polling.notify(topic.name);
    });
    // Releases and dead-letter copies do not await this; a failed sync fails the log for everyone anyway.
    visible.catch(() => undefined);
    return { message, durable: visible };
  }

  /**
   * Several messages in order, visible together once all are durable: one wait however many there
   * are (appends in one tick share a write batch, so their durability promises are mostly the same one).
   */
  appendAll(items: readonly { topic: Topic; draft: MessageDraft }[]): { messages: StoredMessage[]; durable: Promise<void> } {
    const placed = items.map(({ topic, draft }) => this.place(topic, draft, {}));
    const messages = placed.map(({ message }) => message);
    const topics = new Set(items.map(({ topic }) => topic.name));
    const visible = Promise.all(new Set(placed.map(({ durable }) => durable))).then(() => {
      for (const { queue, message } of placed) queue.markDurable(message.offset);
      for (const topic of topics) this.polling.notify(topic);
    });
    visible.catch(() => undefined);
    return { messages, durable: visible };
  }

  /** The server picks the queue, the log stores the record, the queue index lists it (not yet visible). */
  private place(topic: Topic, draft: MessageDraft, extra: { releases?: string; transactionId?: string }) {
    const queue = topic.chooseQueue(draft.messageGroup);
    const placement = { topicId: topic.id, queueId: queue.id, offset: queue.maxOffset, storedAt: this.clock.now(), transactionId: extra.transactionId };
    const { message, entry, durable } = this.log.appendMessage(messageMeta(draft, placement, extra.releases), draft.body);
    queue.append(entry);
    return { message, queue, durable };
  }
}
