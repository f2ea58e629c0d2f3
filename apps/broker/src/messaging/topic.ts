import type { TopicConfig, TopicType } from '../config/broker-config';
import type { MessageType } from './message';
import { MessageQueue } from './message-queue';

export class Topic {
  readonly queues: MessageQueue[];
  private roundRobin = 0;

  constructor(readonly config: TopicConfig) {
    this.queues = Array.from({ length: config.queues }, (_, id) => new MessageQueue(id));
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
  chooseQueue(messageGroup: string | undefined): MessageQueue {
    if (messageGroup !== undefined) return this.queues[consistentHash(messageGroup, this.queues.length)];
    this.roundRobin = (this.roundRobin + 1) % this.queues.length;
    return this.queues[this.roundRobin];
  }
}

/** FNV-1a; stable across restarts and processes, which is all queue choice needs. */
function consistentHash(key: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}
