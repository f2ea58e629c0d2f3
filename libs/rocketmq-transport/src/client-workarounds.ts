import { format } from 'node:util';
import { Logger, type LoggerService } from '@nestjs/common';
import { type BaseClient, Endpoints, type ILogger, NotFoundException, type SimpleConsumer, StatusChecker, type TopicRouteData } from 'rocketmq-client-nodejs';
import { Resource } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { ForwardMessageToDeadLetterQueueRequest } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb';
import { describe } from './errors';
import { sleep, withTimeout } from './timing';
import type { RocketMQConnectionOptions } from './rocketmq.options';

/**
 * Every patch for a bug or gap of rocketmq-client-nodejs 1.0.8 lives here (README "Client bugs worked
 * around"), so a newer client version means reviewing one file.
 */

interface Startable {
  startup(): Promise<void>;
  shutdown(): Promise<void>;
}

type TelemetryStream = ReturnType<BaseClient['createTelemetryStream']>;

/**
 * 1.0.8's TelemetrySession calls `removeAllListeners()` on a stream it releases, and the stream then
 * emits the transport error (e.g. ECONNRESET when the broker restarts) with no listener: an uncaught
 * exception that kills the service. Keep a listener on every telemetry stream the client creates.
 */
export function guardTelemetryStreams<T extends BaseClient>(client: T): T {
  const create = client.createTelemetryStream.bind(client);
  client.createTelemetryStream = (endpoints) => {
    const stream: TelemetryStream = create(endpoints);
    const ignore = () => undefined;
    const removeAllListeners = stream.removeAllListeners.bind(stream);
    stream.removeAllListeners = (...args: Parameters<TelemetryStream['removeAllListeners']>) => {
      removeAllListeners(...args);
      return stream.on('error', ignore);
    };
    stream.on('error', ignore);
    return stream;
  };
  return client;
}

/**
 * The client's own logger writes to ~/logs via egg-logger, and its Transaction calls `debug`, which
 * that interface leaves optional. Route everything through Nest's logger instead; the client's info
 * and debug chatter only when asked for, since Nest's default logger prints debug and verbose lines.
 */
export function clientLogger(logger: LoggerService, level: 'warn' | 'debug'): ILogger {
  const quiet = () => undefined;
  return {
    info: level === 'debug' ? (...args: unknown[]) => logger.debug?.(format(...args)) : quiet,
    debug: level === 'debug' ? (...args: unknown[]) => logger.verbose?.(format(...args)) : quiet,
    warn: (...args: unknown[]) => logger.warn(format(...args)),
    // The reachability probe's "topic not found" is the expected answer, not an error; so is a
    // check-back whose answer arrives after the producer's own commit or rollback resolved the
    // transaction (40008 INVALID_TRANSACTION_ID): the outcome stands, nothing is left to do.
    error: (...args: unknown[]) => {
      const line = format(...args);
      if (line.includes(PROBE_TOPIC)) return;
      if (CHECK_BACK_RACE.test(line)) logger.log(`check-back answered after the transaction was resolved: ${line}`);
      else logger.error(line);
    },
    close: () => undefined,
  };
}

/**
 * `startup()` of the official client waits forever for the server's settings and gives up on routes
 * after three tries; retry it with backoff within a deadline, and fail with the endpoint in the message.
 */
export async function startClient<T extends Startable & BaseClient>(
  create: () => T,
  options: RocketMQConnectionOptions,
  what: string,
  logger: LoggerService = new Logger('RocketMQ'),
  verify: (client: T) => Promise<void> = async () => undefined,
): Promise<T> {
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  let delay = 200;
  for (let attempt = 1; ; attempt++) {
    const client = guardTelemetryStreams(create());
    const replaying = replayLateSettings(client);
    const remaining = deadline - Date.now();
    try {
      await withTimeout(
        client.startup().then(() => verify(client)),
        Math.min(remaining, ATTEMPT_TIMEOUT_MS),
        `no answer from ${options.endpoints}`,
      );
      return client;
    } catch (error) {
      await shutdownQuietly(client);
      const reason = describe(error);
      if (Date.now() + delay >= deadline) {
        throw new Error(`RocketMQ ${what} could not start against ${options.endpoints} after ${attempt} attempts: ${reason}`);
      }
      logger.warn(`RocketMQ ${what} start-up attempt ${attempt} against ${options.endpoints} failed (${reason}); retrying in ${delay} ms`);
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    } finally {
      clearInterval(replaying);
    }
  }
}

const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * 1.0.8's startup() fetches every declared topic's route, and only then starts waiting for the
 * server's settings reply; a reply that arrives earlier (several topics, a fast server) is missed and
 * startup() waits forever. Hand the client its last settings again until startup() has seen them.
 */
function replayLateSettings(client: BaseClient): NodeJS.Timeout {
  const receive = client.onSettingsCommand.bind(client);
  let last: Parameters<BaseClient['onSettingsCommand']> | undefined;
  client.onSettingsCommand = (...args) => {
    last = args;
    receive(...args);
  };
  return setInterval(() => {
    if (last && !client.isRunning()) receive(...last);
  }, 100);
}

const PROBE_TOPIC = 'rocketmq-transport-reachability-probe';
const CHECK_BACK_RACE = /checking the transaction.*(40008|already resolved)/s;

/**
 * A Producer without topics starts without ever talking to the server, so a wrong endpoint would only
 * show at the first publish. Ask for a route: any answer, even "topic not found", proves the endpoint
 * serves RocketMQ and accepts our credentials. Uses the client's protected route lookup, then forgets
 * the probe topic so the client does not keep refreshing it.
 */
export async function verifyReachable(client: BaseClient): Promise<void> {
  const internals = routeInternals(client);
  try {
    await internals.getRouteData(PROBE_TOPIC);
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  } finally {
    internals.topics.delete(PROBE_TOPIC);
    internals.topicRouteCache.delete(PROBE_TOPIC);
  }
}

/** 1.0.8's shutdown() throws when the server is already gone; closing must still succeed. */
export async function shutdownQuietly(client: Startable | undefined): Promise<void> {
  if (!client) return;
  try {
    await withTimeout(client.shutdown(), 5000, 'shutdown timed out');
  } catch {
    // The broker is gone or slow: the process is leaving anyway, nothing else to release.
  }
}

interface RouteInternals {
  getRouteData(topic: string): Promise<TopicRouteData>;
  topics: Set<string>;
  topicRouteCache: Map<string, TopicRouteData>;
}

const routeInternals = (client: BaseClient) => client as unknown as RouteInternals;

/**
 * A topic's route through the client's protected lookup, which also syncs the client's settings to
 * endpoints it has not seen. 1.0.8 refreshes (every 30 s) only the routes of topics it was created
 * with, so the topic is added to that set: a route that changes on the server is picked up.
 */
export function routeOf(client: BaseClient, topic: string): Promise<TopicRouteData> {
  const internals = routeInternals(client);
  internals.topics.add(topic);
  return internals.getRouteData(topic);
}

/**
 * Request header with the reason of a dead-lettering (ADR 0023): the embedded broker records it as the
 * dead letter's DLQ_REASON property; an Apache proxy ignores it (its request has no reason field).
 */
const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
/** The embedded broker keeps this much of a reason (apps/broker/src/protocol/dead-letter-reason.ts). */
const MAX_DEAD_LETTER_REASON_LENGTH = 1024;

/**
 * SimpleConsumer has no dead-letter call; the client's consumer base class exposes the RPC, which
 * every RocketMQ 5 proxy implements, so the message lands in %DLQ%<group> on any server. The reason
 * travels in a header, percent-encoded because gRPC metadata values are ASCII.
 */
export async function forwardToDeadLetterQueue(
  consumer: SimpleConsumer,
  target: { namespace: string; group: string; topic: string; endpoint: string; timeoutMs: number },
  message: { receiptHandle: string; messageId: string; deliveryAttempt: number },
  maxAttempts: number,
  reason: string,
): Promise<void> {
  const resource = (name: string) => new Resource().setName(name).setResourceNamespace(target.namespace);
  const request = new ForwardMessageToDeadLetterQueueRequest()
    .setGroup(resource(target.group))
    .setTopic(resource(target.topic))
    .setReceiptHandle(message.receiptHandle)
    .setMessageId(message.messageId)
    .setDeliveryAttempt(message.deliveryAttempt)
    .setMaxDeliveryAttempts(maxAttempts);
  const header = encodeURIComponent(reason.slice(0, MAX_DEAD_LETTER_REASON_LENGTH));
  const response = await withRequestHeader(consumer, DEAD_LETTER_REASON_HEADER, header, () =>
    consumer.forwardMessageToDeadLetterQueueViaRpc(endpointsOf(target.endpoint), request, target.timeoutMs),
  );
  StatusChecker.check(response.toObject().status);
}

/**
 * 1.0.8 keeps one gRPC channel per `Endpoints` object (by identity, dropped after 30 idle minutes): a new
 * object per call would open a channel per dead letter. One object per address reuses the client's channel.
 */
const endpointsByAddress = new Map<string, Endpoints>();
function endpointsOf(address: string): Endpoints {
  let endpoints = endpointsByAddress.get(address);
  if (!endpoints) endpointsByAddress.set(address, (endpoints = new Endpoints(address)));
  return endpoints;
}

/**
 * 1.0.8 builds each call's metadata itself (`getRequestMetadata`) and takes no extra headers. The call
 * reads it synchronously before its first await, so the method is swapped only for that moment.
 */
function withRequestHeader<T>(client: BaseClient, name: string, value: string, call: () => Promise<T>): Promise<T> {
  const requestMetadata = client.getRequestMetadata;
  client.getRequestMetadata = () => {
    const metadata = requestMetadata.call(client);
    metadata.set(name, value);
    return metadata;
  };
  try {
    return call();
  } finally {
    // The prototype's method again, as before.
    delete (client as { getRequestMetadata?: unknown }).getRequestMetadata;
  }
}
