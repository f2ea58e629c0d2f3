import type { GroupConfig } from '../config/broker-config';
import type { Topic } from '../messaging/topic';
import { Subscription, type SubscriptionSnapshot } from './subscription';

export class ConsumerGroup {
  readonly subscriptions = new Map<string, Subscription>();

  constructor(public config: GroupConfig) {}

  get name(): string {
    return this.config.name;
  }

  /** The group's subscription to this incarnation of the topic. */
  subscription(topic: string, topicId?: number): Subscription | undefined {
    const subscription = this.subscriptions.get(topic);
    return subscription && (topicId === undefined || subscription.topic.id === topicId) ? subscription : undefined;
  }

  subscribe(topic: Topic, startOffsets: number[]): Subscription {
    const subscription = new Subscription(this, topic, startOffsets);
    this.subscriptions.set(topic.name, subscription);
    return subscription;
  }

  /** Where a new subscription starts, per queue, according to `consumeFrom`. */
  startOffsets(topic: Topic): number[] {
    return topic.queues.map((queue) => (this.config.consumeFrom === 'last' ? queue.maxOffset : queue.minOffset));
  }

  snapshot(): { name: string; subscriptions: SubscriptionSnapshot[] } {
    return { name: this.name, subscriptions: [...this.subscriptions.values()].map((subscription) => subscription.snapshot()) };
  }
}
