import type { TopicConfig, TopicType } from '../config/broker-config';
import { hash32 } from '../util/hash';
import type { MessageType } from './message';
import { QueueIndex } from './queue-index';

export class Topic {
  readonly queues: QueueIndex[];
  private roundRobin = 0;

  constructor(
    readonly config: TopicConfig,
    /** This incarnation's id: index entries and subscriptions name it, so a re-created topic starts empty. */
    readonly id: number,
    readonly createdAt: number,
  ) {
    this.queues = Array.from({ length: config.queues }, (_, id) => new QueueIndex(id));
  }

  get name(): string {
    return this.config.name;
  }

  get type(): TopicType {
    return this.config.type;
  }

  get messageCount(): number {
    return this.queues.reduce((sum, queue) => sum + queue.size, 0);
  }

  accepts(type: MessageType): boolean {
    return this.type === 'MIXED' || this.type === type;
  }

  /**
   * The server picks the queue, as the Java proxy does: a message group always maps to the same
   * queue (so FIFO order holds per queue too); other messages go round-robin.
   */
  chooseQueue(messageGroup: string | undefined): QueueIndex {
    if (messageGroup !== undefined) return this.queues[hash32(messageGroup) % this.queues.length];
    this.roundRobin = (this.roundRobin + 1) % this.queues.length;
    return this.queues[this.roundRobin];
  }
}
