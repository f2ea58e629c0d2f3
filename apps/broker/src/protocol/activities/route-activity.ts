import type { Broker } from '../../broker';
import type { TopicType } from '../../config/broker-config';
import { checkGroupName, checkTopicName } from '../../messaging/names';
import { OK } from '../status';
import type { Address, Endpoints, Resource } from '../wire';
import type { Request } from './request';

const ACCEPTED_TYPES: Record<TopicType, string[]> = {
  NORMAL: ['NORMAL'],
  FIFO: ['FIFO'],
  DELAY: ['DELAY'],
  TRANSACTION: ['TRANSACTION'],
  MIXED: ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'],
};

/** QueryRoute and QueryAssignment: every queue is on this one broker. */
export class RouteActivity {
  constructor(
    private readonly broker: Broker,
    private readonly listenAddress: () => Address,
  ) {}

  queryRoute({ request, permissions }: Request<{ topic?: Resource; endpoints?: Endpoints }>) {
    const name = checkTopicName(request.topic?.name, { allowDeadLetter: true });
    permissions.requireAccess(name);
    const topic = this.broker.topics.require(name);
    const brokerEndpoints = this.endpointsFor(request.endpoints);
    return {
      status: OK,
      messageQueues: topic.queues.map((queue) => ({
        topic: request.topic,
        id: queue.id,
        permission: 'READ_WRITE',
        broker: { name: this.broker.config.brokerName, id: 0, endpoints: brokerEndpoints },
        acceptMessageTypes: ACCEPTED_TYPES[topic.type],
      })),
    };
  }

  queryAssignment({ request, permissions }: Request<{ topic?: Resource; group?: Resource; endpoints?: Endpoints }>) {
    const topicName = checkTopicName(request.topic?.name, { allowDeadLetter: true });
    const groupName = checkGroupName(request.group?.name);
    permissions.requireSubscribe(topicName, groupName);
    const topic = this.broker.topics.require(topicName);
    const group = this.broker.groups.group(groupName);
    const broker = { name: this.broker.config.brokerName, id: 0, endpoints: this.endpointsFor(request.endpoints) };
    const queue = (id: number) => ({ messageQueue: { topic: request.topic, id, permission: 'READ_WRITE', broker, acceptMessageTypes: ACCEPTED_TYPES[topic.type] } });
    // Like the Java proxy: one broker-wide assignment, or one per queue for FIFO groups.
    const assignments = group.config.fifo ? topic.queues.map((q) => queue(q.id)) : [queue(-1)];
    return { status: OK, assignments };
  }

  /** The address the client used, with our port: stable and reachable, as the Java proxy answers. */
  private endpointsFor(accessPoint: Endpoints | undefined): Endpoints {
    const listen = this.listenAddress();
    const host = accessPoint?.addresses?.[0]?.host ?? listen.host;
    return { scheme: accessPoint?.scheme ?? 'IPv4', addresses: [{ host, port: listen.port }] };
  }
}
