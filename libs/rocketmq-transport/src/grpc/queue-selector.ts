import type { MessageQueue, TopicRouteData } from 'rocketmq-client-nodejs';
import { Permission } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import type { QueueRoute } from './messaging-codec';

const MASTER_BROKER_ID = 0;

/** Round-robin over the queues of master brokers that allow `access`, as the official client picks them. */
export class QueueSelector {
  private turn = 0;

  constructor(
    private readonly route: (topic: string) => Promise<TopicRouteData>,
    private readonly access: 'read' | 'write',
  ) {}

  async next(topic: string): Promise<MessageQueue> {
    const allowed = this.access === 'read' ? [Permission.READ, Permission.READ_WRITE] : [Permission.WRITE, Permission.READ_WRITE];
    const queues = (await this.route(topic)).messageQueues.filter((queue) => queue.broker.id === MASTER_BROKER_ID && allowed.includes(queue.permission));
    if (queues.length === 0) throw new Error(`topic ${topic} has no ${this.access}able queue`);
    return queues[this.turn++ % queues.length];
  }
}

/** `host:port` of the queue's broker (its first address). */
export function endpointOf(queue: MessageQueue): string {
  const [address] = queue.broker.endpoints.addressesList;
  return `${address.host}:${address.port}`;
}

/** The route's queue as ReceiveMessageRequest carries it. */
export function queueRouteOf(queue: MessageQueue): QueueRoute {
  const { broker } = queue;
  return {
    topic: queue.topic.name,
    id: queue.queueId,
    permission: queue.permission,
    broker: { name: broker.name, id: broker.id, endpoints: { scheme: broker.endpoints.scheme, addresses: broker.endpoints.addressesList } },
    acceptMessageTypes: queue.acceptMessageTypesList,
  };
}
