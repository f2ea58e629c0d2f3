import type { GroupConfig } from '../config/broker-config';
import type { Topic } from '../messaging/topic';
import { Subscription } from './subscription';

export class ConsumerGroup {
  readonly subscriptions = new Map<string, Subscription>();

  constructor(public config: GroupConfig) {}

  get name(): string {
    return this.config.name;
  }

  subscription(topic: string): Subscription | undefined {
    return this.subscriptions.get(topic);
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
}
