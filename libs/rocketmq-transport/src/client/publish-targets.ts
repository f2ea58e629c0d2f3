import type { MessageQueue, TopicRouteData } from 'rocketmq-client-nodejs';
import { Permission } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';

/** Where one request goes: a writable queue of the topic's route and its broker's address. */
export interface PublishTarget {
  endpoint: string;
  queueId: number;
}

const MASTER_BROKER_ID = 0;

/** Round-robin over the writable queues of master brokers, as the official producer picks them. */
export class PublishTargets {
  private turn = 0;

  constructor(private readonly route: (topic: string) => Promise<TopicRouteData>) {}

  async next(topic: string): Promise<PublishTarget> {
    const queues = (await this.route(topic)).messageQueues.filter(isWritableMaster);
    if (queues.length === 0) throw new Error(`topic ${topic} has no writable queue`);
    const queue = queues[this.turn++ % queues.length];
    return { endpoint: endpointOf(queue), queueId: queue.queueId };
  }
}

const isWritableMaster = (queue: MessageQueue) =>
  queue.broker.id === MASTER_BROKER_ID && (queue.permission === Permission.WRITE || queue.permission === Permission.READ_WRITE);

/** `host:port` of the queue's broker (its first address). */
export function endpointOf(queue: MessageQueue): string {
  const [address] = queue.broker.endpoints.addressesList;
  return `${address.host}:${address.port}`;
}
