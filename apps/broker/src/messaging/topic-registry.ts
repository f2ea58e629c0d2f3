import { TOPIC_TYPES, type TopicConfig, type TopicType } from '../config/broker-config';
import { BrokerError, Code, topicNotFound } from '../errors';
import { checkTopicName } from './names';
import { Topic } from './topic';

export interface TopicDefinition {
  name: string;
  queues?: number;
  type?: TopicType;
}

/** A topic as metadata keeps it. */
export interface StoredTopic extends TopicConfig {
  id: number;
  createdAt: number;
}

/** All topics by name, including the system topics (%DLQ%<group>) the broker creates itself. */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();
  private readonly ids = new Map<number, Topic>();
  /** Ids below this were handed out; one that names no topic belonged to a deleted one. */
  private next = 1;

  constructor(private readonly defaultQueues: number) {}

  get nextId(): number {
    return this.next;
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  byId(id: number): Topic | undefined {
    return this.ids.get(id);
  }

  /** An id handed out to a topic that was deleted since. */
  isRetired(id: number): boolean {
    return id < this.next && !this.ids.has(id);
  }

  require(name: string): Topic {
    const topic = this.get(name);
    if (!topic) throw topicNotFound(name);
    return topic;
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /**
   * Creates the topic, or returns it if it exists with the same type; a different type is a conflict.
   * `restore` brings back a stored topic with its id.
   */
  create(definition: TopicDefinition, options: { system?: boolean; restore?: { id: number; createdAt: number } } = {}): Topic {
    const config = this.validate(definition, options.system ?? definition.name.startsWith('%'));
    const existing = this.get(config.name);
    if (existing) {
      if (existing.type !== config.type) throw new BrokerError(Code.BAD_REQUEST, `topic ${config.name} exists with type ${existing.type}, not ${config.type}`);
      return existing;
    }
    const id = options.restore?.id ?? this.next;
    this.next = Math.max(this.next, id + 1);
    const topic = new Topic(config, id, options.restore?.createdAt ?? Date.now());
    this.topics.set(config.name, topic);
    this.ids.set(id, topic);
    return topic;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    this.ids.delete(topic.id);
    return true;
  }

  /** Metadata restored: ids up to `nextId` are taken even if their topics are gone. */
  reserveIds(nextId: number): void {
    this.next = Math.max(this.next, nextId);
  }

  snapshot(): StoredTopic[] {
    return this.list().map((topic) => ({ ...topic.config, id: topic.id, createdAt: topic.createdAt }));
  }

  private validate(definition: TopicDefinition, system: boolean): TopicConfig {
    const name = system ? definition.name : checkTopicName(definition.name);
    const type = definition.type ?? 'NORMAL';
    if (!TOPIC_TYPES.includes(type)) throw new BrokerError(Code.BAD_REQUEST, `topic type ${JSON.stringify(type)} is not one of ${TOPIC_TYPES.join(', ')}`);
    const queues = definition.queues ?? this.defaultQueues;
    if (!Number.isInteger(queues) || queues < 1 || queues > 256) throw new BrokerError(Code.BAD_REQUEST, `queue count ${queues} must be an integer from 1 to 256`);
    return { name, type, queues };
  }
}
