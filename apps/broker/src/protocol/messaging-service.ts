import type { Logger } from 'pino';
import type { Authenticator } from '../auth/credentials';
import type { Permissions } from '../auth/permissions';
import type { Broker } from '../broker';
import { BrokerError, Code } from '../errors';
import { FilterExpressionError, compileSubscriptionFilter } from '../filtering';
import { checkGroupName, checkTopicName } from '../messaging/names';
import type { TopicType } from '../config/broker-config';
import { AutoRenewal } from './auto-renewal';
import type { ClientSessions } from './client-sessions';
import { encodeDelivery } from './delivery-encoder';
import type { BidiHandler, Handler } from './grpc/grpc-server';
import type { Metadata, ServerCall } from './grpc/server-call';
import { decodeMessage } from './message-codec';
import { mergeSettings } from './settings';
import { OK, type Status, statusOf } from './status';
import { type Address, type Endpoints, type FilterExpression, type Resource, type Settings, type TelemetryCommand, type WireMessage, timestampOf, toMillis } from './wire';

const ACCEPTED_TYPES: Record<TopicType, string[]> = {
  NORMAL: ['NORMAL'],
  FIFO: ['FIFO'],
  DELAY: ['DELAY'],
  TRANSACTION: ['TRANSACTION'],
  MIXED: ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'],
};

/** The Java proxy's channelExpiredTimeout: a client without heartbeat for this long is gone. */
const CLIENT_EXPIRY_MS = 120_000;

interface Request<T> {
  request: T;
  metadata: Metadata;
  clientId: string;
  permissions: Permissions;
}

/**
 * apache.rocketmq.v2.MessagingService over the broker. Errors never escape as gRPC errors: like the
 * Java proxy, every response carries a Status with the RocketMQ code the client maps to exceptions.
 */
export class MessagingService {
  private readonly autoRenewal: AutoRenewal;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly broker: Broker,
    readonly sessions: ClientSessions,
    private readonly auth: Authenticator,
    private readonly logger: Logger,
    private readonly listenAddress: () => Address,
  ) {
    this.autoRenewal = new AutoRenewal(broker);
    this.sweeper = setInterval(() => this.sessions.expireIdle(CLIENT_EXPIRY_MS), CLIENT_EXPIRY_MS / 4);
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.autoRenewal.stop();
    this.sessions.endAll();
  }

  implementation(): Record<string, Handler> {
    return {
      QueryRoute: this.unary((r) => this.queryRoute(r)),
      Heartbeat: this.unary(() => ({ status: OK })),
      SendMessage: this.unary((r) => this.sendMessage(r), (status) => ({ status, entries: [{ status }] })),
      QueryAssignment: this.unary((r) => this.queryAssignment(r)),
      ReceiveMessage: (request: ReceiveRequestWire, call: ServerCall) => void this.receiveMessage(request, call),
      AckMessage: this.unary((r) => this.ackMessage(r)),
      ChangeInvisibleDuration: this.unary((r) => this.changeInvisibleDuration(r)),
      ForwardMessageToDeadLetterQueue: this.unary((r) => this.forwardToDeadLetterQueue(r)),
      EndTransaction: this.unary((r) => this.endTransaction(r)),
      NotifyClientTermination: this.unary((r) => {
        this.sessions.remove(r.clientId);
        this.autoRenewal.releaseClient(r.clientId);
        return { status: OK };
      }),
      RecallMessage: this.unary((r) => this.recallMessage(r)),
      Telemetry: ((call: ServerCall<TelemetryCommand>) => this.telemetry(call)) as BidiHandler,
    };
  }

  private unary<T, R extends object>(
    handle: (request: Request<T>) => R | Promise<R>,
    onError: (status: Status) => object = (status) => ({ status }),
  ) {
    return async (request: T, call: ServerCall): Promise<object> => {
      try {
        const { clientId, permissions } = this.authenticate(call.metadata);
        return await handle({ request, metadata: call.metadata, clientId, permissions });
      } catch (error) {
        const status = statusOf(error);
        if (status.code === Code.INTERNAL_SERVER_ERROR) this.logger.error({ err: error, path: call.path }, 'request failed');
        return onError(status);
      }
    };
  }

  private authenticate(metadata: Metadata): { clientId: string; permissions: Permissions } {
    const clientId = metadata.get('x-mq-client-id') ?? '';
    if (!clientId) throw new BrokerError(Code.CLIENT_ID_REQUIRED, 'x-mq-client-id header is required');
    const permissions = this.auth.verify(metadata);
    this.sessions.touch(clientId);
    return { clientId, permissions };
  }

  private queryRoute({ request, permissions }: Request<{ topic?: Resource; endpoints?: Endpoints }>) {
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

  /** The address the client used, with our port: stable and reachable, as the Java proxy answers. */
  private endpointsFor(accessPoint: Endpoints | undefined): Endpoints {
    const listen = this.listenAddress();
    const host = accessPoint?.addresses?.[0]?.host ?? listen.host;
    return { scheme: accessPoint?.scheme ?? 'IPv4', addresses: [{ host, port: listen.port }] };
  }

  private async sendMessage({ request, permissions }: Request<{ messages?: WireMessage[] }>) {
    const messages = request.messages ?? [];
    if (messages.length === 0) throw new BrokerError(Code.BAD_REQUEST, 'no message to send');
    const ended = this.broker.metrics.sendLatency.startTimer();
    const now = Date.now();
    const drafts = messages.map((message) => {
      try {
        const draft = decodeMessage(message, this.broker.config, now);
        permissions.requirePublish(draft.topic);
        return draft;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    const results = await this.broker.producing.sendAll(drafts);
    const entries = results.map((result, i) =>
      result instanceof Error ? { status: statusOf(result), messageId: messages[i].systemProperties?.messageId ?? '' } : { status: OK, ...result },
    );
    ended();
    return { status: combinedStatus(entries.map((e) => e.status)), entries };
  }

  private queryAssignment({ request, permissions }: Request<{ topic?: Resource; group?: Resource; endpoints?: Endpoints }>) {
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

  private async receiveMessage(request: ReceiveRequestWire, call: ServerCall): Promise<void> {
    const abort = new AbortController();
    call.onCancelled(() => abort.abort());
    const finish = (status: Status) => {
      if (!call.cancelled) {
        call.write({ status });
        call.write({ deliveryTimestamp: timestampOf(Date.now()) });
      }
      call.end();
    };
    try {
      const { clientId, permissions } = this.authenticate(call.metadata);
      const { group, topic, receive } = this.receiveParameters(request, call.deadline, permissions);
      const deliveries = await this.broker.consuming.receive({ ...receive, group, topic, signal: abort.signal });
      if (call.cancelled) {
        for (const d of deliveries) this.broker.consuming.release(group, topic, d.receiptHandle);
        return;
      }
      if (deliveries.length === 0) return finish({ code: Code.MESSAGE_NOT_FOUND, message: 'no new message' });
      call.write({ status: OK });
      const storeHost = `${this.listenAddress().host}:${this.listenAddress().port}`;
      for (const d of deliveries) {
        if (request.autoRenew) this.autoRenewal.track(clientId, group, topic, d.receiptHandle);
        call.write(encodeDelivery(d.message, { receiptHandle: d.receiptHandle, attempt: d.attempt, invisibleMs: receive.invisibleMs, storeHost }));
      }
      call.write({ deliveryTimestamp: timestampOf(Date.now()) });
      call.end();
    } catch (error) {
      const status = statusOf(error);
      if (status.code === Code.INTERNAL_SERVER_ERROR) this.logger.error({ err: error }, 'ReceiveMessage failed');
      finish(status);
    }
  }

  private receiveParameters(request: ReceiveRequestWire, deadline: number, permissions: Permissions) {
    const { consumer } = this.broker.config;
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.messageQueue?.topic?.name, { allowDeadLetter: true });
    permissions.requireSubscribe(topic, group);
    this.broker.topics.require(topic);
    const batchSize = request.batchSize ?? 0;
    if (batchSize < 1) throw new BrokerError(Code.BAD_REQUEST, `batch size ${batchSize} must be at least 1`);
    let invisibleMs = consumer.autoRenewInvisibleMs;
    if (!request.autoRenew) {
      invisibleMs = toMillis(request.invisibleDuration) ?? -1;
      if (invisibleMs < consumer.minInvisibleMs || invisibleMs > consumer.maxInvisibleMs) {
        throw new BrokerError(Code.ILLEGAL_INVISIBLE_TIME, `invisible duration ${invisibleMs} ms is out of range [${consumer.minInvisibleMs}, ${consumer.maxInvisibleMs}]`);
      }
    }
    const now = Date.now();
    const remaining = deadline - now;
    if (remaining < consumer.minLongPollingMs) {
      throw new BrokerError(Code.ILLEGAL_POLLING_TIME, `the call deadline leaves ${remaining} ms, less than the minimum long polling time ${consumer.minLongPollingMs} ms`);
    }
    const requested = toMillis(request.longPollingTimeout) ?? consumer.maxLongPollingMs;
    // Answer before the client's deadline so an empty poll is an answer, not a timeout.
    const pollMs = Math.min(Math.max(requested, consumer.minLongPollingMs), consumer.maxLongPollingMs, remaining - 500);
    return {
      group,
      topic,
      receive: {
        filter: compile(request.filterExpression),
        batchSize: Math.min(batchSize, consumer.maxBatchSize),
        invisibleMs,
        pollUntil: now + pollMs,
      },
    };
  }

  private async ackMessage({ request, permissions }: Request<{ group?: Resource; topic?: Resource; entries?: { messageId: string; receiptHandle: string }[] }>) {
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.topic?.name, { allowDeadLetter: true });
    permissions.requireSubscribe(topic, group);
    const requested = request.entries ?? [];
    if (requested.length === 0) throw new BrokerError(Code.BAD_REQUEST, 'no entry to acknowledge');
    const failures = await this.broker.consuming.ack(group, topic, requested.map((entry) => entry.receiptHandle ?? ''));
    const entries = requested.map((entry, i) => ({ messageId: entry.messageId, receiptHandle: entry.receiptHandle, status: failures[i] ? statusOf(failures[i]) : OK }));
    return { status: combinedStatus(entries.map((e) => e.status)), entries };
  }

  private changeInvisibleDuration({ request, permissions }: Request<{ group?: Resource; topic?: Resource; receiptHandle?: string; invisibleDuration?: { seconds?: number; nanos?: number } }>) {
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.topic?.name, { allowDeadLetter: true });
    permissions.requireSubscribe(topic, group);
    const invisibleMs = toMillis(request.invisibleDuration) ?? -1;
    const max = this.broker.config.consumer.maxInvisibleMs;
    if (invisibleMs < 0 || invisibleMs > max) throw new BrokerError(Code.ILLEGAL_INVISIBLE_TIME, `invisible duration ${invisibleMs} ms is out of range [0, ${max}]`);
    const receiptHandle = this.broker.consuming.changeInvisibleDuration(group, topic, request.receiptHandle ?? '', invisibleMs);
    return { status: OK, receiptHandle };
  }

  private async forwardToDeadLetterQueue({ request, permissions }: Request<{ group?: Resource; topic?: Resource; receiptHandle?: string }>) {
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.topic?.name);
    permissions.requireSubscribe(topic, group);
    await this.broker.consuming.forwardToDeadLetterQueue(group, topic, request.receiptHandle ?? '');
    return { status: OK };
  }

  private async endTransaction({ request, permissions }: Request<{ topic?: Resource; messageId?: string; transactionId?: string; resolution?: string; source?: string }>) {
    const topic = checkTopicName(request.topic?.name);
    permissions.requirePublish(topic);
    if (request.resolution !== 'COMMIT' && request.resolution !== 'ROLLBACK') {
      throw new BrokerError(Code.BAD_REQUEST, `transaction resolution ${request.resolution ?? 'UNSPECIFIED'} must be COMMIT or ROLLBACK`);
    }
    await this.broker.transactions.endTransaction(topic, request.transactionId ?? '', request.messageId ?? '', request.resolution === 'COMMIT');
    this.logger.debug({ topic, transactionId: request.transactionId, resolution: request.resolution, source: request.source }, 'transaction ended');
    return { status: OK };
  }

  private async recallMessage({ request, permissions }: Request<{ topic?: Resource; recallHandle?: string }>) {
    const topic = checkTopicName(request.topic?.name);
    permissions.requirePublish(topic);
    const messageId = await this.broker.transactions.recall(topic, request.recallHandle ?? '');
    return { status: OK, messageId };
  }

  private telemetry(call: ServerCall<TelemetryCommand>): ReturnType<BidiHandler> {
    let clientId: string;
    let permissions: Permissions;
    try {
      ({ clientId, permissions } = this.authenticate(call.metadata));
    } catch (error) {
      call.write({ status: statusOf(error) });
      call.end();
      return { message: () => undefined, end: () => undefined };
    }
    this.sessions.attach(clientId, call);
    const detach = () => {
      if (this.sessions.detach(clientId, call)) this.autoRenewal.releaseClient(clientId);
    };
    call.onCancelled(detach);
    return {
      message: (command: TelemetryCommand) => {
        if (!command.settings) return; // thread stack traces and verify results need no answer
        try {
          const settings = command.settings;
          const declared = declaredResources(settings, permissions);
          this.sessions.touch(clientId).settings = declared;
          call.write({ status: OK, settings: mergeSettings(settings, this.broker) });
        } catch (error) {
          call.write({ status: statusOf(error) });
        }
      },
      end: () => {
        detach();
        call.end();
      },
    };
  }
}

interface ReceiveRequestWire {
  group?: Resource;
  messageQueue?: { topic?: Resource; id?: number };
  filterExpression?: FilterExpression;
  batchSize?: number;
  invisibleDuration?: { seconds?: number; nanos?: number };
  autoRenew?: boolean;
  longPollingTimeout?: { seconds?: number; nanos?: number };
  attemptId?: string;
}

/** More topics than any client declares; a longer list is refused rather than kept per session. */
const MAX_DECLARED_TOPICS = 1000;

/**
 * What a session keeps of a client's settings: its type, a producer's topics, a consumer's group and
 * topics — names checked, and only what the key may use. The rest (user agent strings of any size)
 * is not kept, so a session's memory is bounded by these names.
 */
function declaredResources(settings: Settings, permissions: Permissions): Settings {
  const declared = (settings.publishing?.topics?.length ?? 0) + (settings.subscription?.subscriptions?.length ?? 0);
  if (declared > MAX_DECLARED_TOPICS) throw new BrokerError(Code.BAD_REQUEST, `settings declare ${declared} topics, over the limit of ${MAX_DECLARED_TOPICS}`);
  const kept: Settings = { clientType: settings.clientType };
  if (settings.publishing) {
    const topics = (settings.publishing.topics ?? []).map((topic) => ({ name: checkTopicName(topic.name, { allowDeadLetter: true }) }));
    for (const { name } of topics) permissions.requirePublish(name);
    kept.publishing = { topics };
  }
  if (settings.subscription) {
    const group = checkGroupName(settings.subscription.group?.name);
    const subscriptions = (settings.subscription.subscriptions ?? []).map((entry) => ({ topic: { name: checkTopicName(entry.topic?.name, { allowDeadLetter: true }) } }));
    for (const entry of subscriptions) permissions.requireSubscribe(entry.topic.name, group);
    kept.subscription = { group: { name: group }, subscriptions };
  }
  return kept;
}

function compile(expression: FilterExpression | undefined) {
  const type = expression?.type === 'SQL' ? 'SQL' : 'TAG';
  try {
    return compileSubscriptionFilter(type, expression?.expression ?? '*');
  } catch (error) {
    if (error instanceof FilterExpressionError) throw new BrokerError(Code.ILLEGAL_FILTER_EXPRESSION, error.message);
    throw error;
  }
}

/** One status for a batch: the shared one, or MULTIPLE_RESULTS when entries differ (Java proxy rule). */
function combinedStatus(statuses: Status[]): Status {
  const first = statuses[0];
  return statuses.every((s) => s.code === first.code) ? first : { code: Code.MULTIPLE_RESULTS, message: 'entries have different results' };
}
