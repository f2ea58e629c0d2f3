import type { Logger } from 'pino';
import type { Authenticator } from '../auth/credentials';
import type { Broker } from '../broker';
import { BrokerError, Code } from '../errors';
import { ClientActivity } from './activities/client-activity';
import { ConsumerActivity, type ReceiveRequestWire } from './activities/consumer-activity';
import { ProducerActivity } from './activities/producer-activity';
import type { Request } from './activities/request';
import { RouteActivity } from './activities/route-activity';
import { AutoRenewal } from './auto-renewal';
import type { ClientSessions } from './client-sessions';
import type { BidiHandler, Handler } from './grpc/grpc-server';
import type { Metadata, ServerCall } from './grpc/server-call';
import { type Status, statusOf } from './status';
import type { Address, TelemetryCommand } from './wire';

/** The Java proxy's channelExpiredTimeout: a client without heartbeat for this long is gone. */
const CLIENT_EXPIRY_MS = 120_000;

/**
 * apache.rocketmq.v2.MessagingService over the broker: each RPC routed to its activity (route,
 * producer, consumer, client), as the Java proxy splits them. Errors never escape as gRPC errors:
 * like the Java proxy, every response carries a Status with the RocketMQ code the client maps to
 * exceptions.
 */
export class MessagingService {
  private readonly autoRenewal: AutoRenewal;
  private readonly sweeper: NodeJS.Timeout;
  private readonly route: RouteActivity;
  private readonly producer: ProducerActivity;
  private readonly consumer: ConsumerActivity;
  private readonly client: ClientActivity;

  constructor(
    broker: Broker,
    readonly sessions: ClientSessions,
    private readonly auth: Authenticator,
    private readonly logger: Logger,
    listenAddress: () => Address,
  ) {
    this.autoRenewal = new AutoRenewal(broker);
    const authenticate = (metadata: Metadata) => this.authenticate(metadata);
    this.route = new RouteActivity(broker, listenAddress);
    this.producer = new ProducerActivity(broker, logger);
    this.consumer = new ConsumerActivity(broker, authenticate, this.autoRenewal, logger, listenAddress);
    this.client = new ClientActivity(broker, sessions, authenticate, this.autoRenewal);
    this.sweeper = setInterval(() => this.sessions.expireIdle(CLIENT_EXPIRY_MS), CLIENT_EXPIRY_MS / 4);
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.autoRenewal.stop();
    this.sessions.endAll();
  }

  implementation(): Record<string, Handler> {
    const { route, producer, consumer, client } = this;
    return {
      QueryRoute: this.unary((r) => route.queryRoute(r)),
      QueryAssignment: this.unary((r) => route.queryAssignment(r)),
      SendMessage: this.unary((r) => producer.sendMessage(r), (status) => ({ status, entries: [{ status }] })),
      EndTransaction: this.unary((r) => producer.endTransaction(r)),
      RecallMessage: this.unary((r) => producer.recallMessage(r)),
      ReceiveMessage: (request: ReceiveRequestWire, call: ServerCall) => void consumer.receiveMessage(request, call),
      AckMessage: this.unary((r) => consumer.ackMessage(r)),
      ChangeInvisibleDuration: this.unary((r) => consumer.changeInvisibleDuration(r)),
      ForwardMessageToDeadLetterQueue: this.unary((r) => consumer.forwardToDeadLetterQueue(r)),
      Heartbeat: this.unary(() => client.heartbeat()),
      NotifyClientTermination: this.unary((r) => client.notifyClientTermination(r)),
      Telemetry: ((call: ServerCall<TelemetryCommand>) => client.telemetry(call)) as BidiHandler,
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

  private authenticate(metadata: Metadata) {
    const clientId = metadata.get('x-mq-client-id') ?? '';
    if (!clientId) throw new BrokerError(Code.CLIENT_ID_REQUIRED, 'x-mq-client-id header is required');
    const permissions = this.auth.verify(metadata);
    this.sessions.touch(clientId);
    return { clientId, permissions };
  }
}
