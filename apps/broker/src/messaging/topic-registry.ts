import { TOPIC_TYPES, type TopicConfig, type TopicType } from '../config/broker-config';
import type { StoredTopic } from '../config/metadata-store';
import { BrokerError, Code, topicNotFound } from '../protocol/status';
import { checkTopicName } from './names';
import { Topic } from './topic';

export interface TopicDefinition {
  name: string;
  queues?: number;
  type?: TopicType;
}

/** All topics by name, including the system topics (%DLQ%<group>) the broker creates itself. */
export class TopicRegistry {
  private readonly topics = new Map<string, { topic: Topic; createdAt: number }>();

  constructor(
    private readonly defaultQueues: number,
    private readonly onChange: () => void,
  ) {}

  get(name: string): Topic | undefined {
    return this.topics.get(name)?.topic;
  }

  require(name: string): Topic {
    const topic = this.get(name);
    if (!topic) throw topicNotFound(name);
    return topic;
  }

  createdAt(name: string): number {
    return this.topics.get(name)?.createdAt ?? Infinity;
  }

  list(): Topic[] {
    return [...this.topics.values()].map((entry) => entry.topic);
  }

  /** Creates the topic, or returns it if it exists with the same type; a different type is a conflict. */
  create(definition: TopicDefinition, options: { system?: boolean; createdAt?: number } = {}): Topic {
    const config = this.validate(definition, options.system ?? false);
    const existing = this.get(config.name);
    if (existing) {
      if (existing.type !== config.type) {
        throw new BrokerError(Code.BAD_REQUEST, `topic ${config.name} exists with type ${existing.type}, not ${config.type}`);
      }
      return existing;
    }
    const topic = new Topic(config);
    this.topics.set(config.name, { topic, createdAt: options.createdAt ?? Date.now() });
    this.onChange();
    return topic;
  }

  delete(name: string): boolean {
    const deleted = this.topics.delete(name);
    if (deleted) this.onChange();
    return deleted;
  }

  snapshot(): StoredTopic[] {
    return [...this.topics.values()].map(({ topic, createdAt }) => ({ ...topic.config, createdAt }));
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
