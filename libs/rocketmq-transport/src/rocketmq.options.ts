import type { LoggerService } from '@nestjs/common';
import type { PublishBatchOptions } from './client/publish-batcher';
import type { RocketMQBodyDeserializer, RocketMQBodySerializer } from './codec';
import type { RocketMQHandlerOptions } from './consumer/handler-options';

/** Where and how to reach RocketMQ 5: the embedded broker, an Apache RocketMQ proxy, or ApsaraMQ. */
export interface RocketMQConnectionOptions {
  /** `host:port` of the gRPC endpoint, e.g. `127.0.0.1:8081` or an ApsaraMQ instance endpoint. */
  endpoints: string;
  /** ApsaraMQ instance namespace (or Apache namespace); empty for none. */
  namespace?: string;
  /** AK/SK: ApsaraMQ instance username/password, or Apache ACL credentials. */
  credentials?: { accessKey: string; secretKey: string; securityToken?: string };
  /** TLS to the endpoint (ApsaraMQ public endpoints). */
  tls?: boolean;
  /** Per-call timeout of the client, ms (the client's minimum is 1000). */
  requestTimeoutMs?: number;
  /** How long start-up keeps retrying before it fails with an error naming the endpoint, ms. */
  startupTimeoutMs?: number;
  /** A stable id of this process, used for broadcast and reply groups. Default: hostname-pid. */
  instanceId?: string;
  logger?: LoggerService;
  /**
   * The official client's own info and debug lines (routes, heartbeats, settings: most of a
   * start-up's log) reach the logger only with `'debug'`; its warnings and errors always do.
   * Default `'warn'` (`ROCKETMQ_CLIENT_LOG`).
   */
  clientLog?: 'warn' | 'debug';
}

/** A producer's or a subscription's state, for health checks. */
export interface RocketMQComponentHealth {
  up: boolean;
  reason?: string;
  /** Down since (while receiving fails). */
  since?: Date;
}

export interface RocketMQServerOptions extends RocketMQConnectionOptions {
  /** Consumer group of handlers that do not name one. */
  defaultGroup?: string;
  /** Defaults for every handler; each handler's own options win. */
  handlerDefaults?: Partial<RocketMQHandlerOptions>;
  /** Topic where replies to request/response messages (`send()`) are published. */
  replyTopic?: string;
  /** Upper bound on how long close() waits for running handlers, ms. */
  shutdownTimeoutMs?: number;
  /** Decodes delivered bodies for the handlers (another encoding than JSON). Default: JSON, or a Buffer for `application/octet-stream`. */
  deserializer?: RocketMQBodyDeserializer;
}

export interface RocketMQClientOptions extends RocketMQConnectionOptions {
  /**
   * Topics the producer declares up front. Transactional topics must be listed: the broker sends
   * transaction check-backs only to producers that declared the topic.
   */
  topics?: string[];
  /** Enables `send()` (request/response): the topic replies come back on, which must exist. */
  replyTopic?: string;
  /** Default `send()` timeout, ms. */
  replyTimeoutMs?: number;
  /**
   * RocketMQModule connects at application bootstrap, so a broker that is down fails the start, and
   * check-backs of half messages a previous run left behind are answered at once. With `lazyConnect`
   * the app starts without a broker and connects at the first publish.
   */
  lazyConnect?: boolean;
  /** Producer attempts per message when the server is unreachable or busy. */
  maxAttempts?: number;
  /** Encodes published payloads (another encoding than JSON); its content type travels with the message. Default: JSON, or raw bytes for a Buffer. */
  serializer?: RocketMQBodySerializer;
  /** How concurrent NORMAL/DELAY publishes share SendMessage requests (defaults: 32 messages, 1 MiB, 1 ms linger, 4 requests in flight, 3 attempts). */
  batching?: Partial<PublishBatchOptions>;
}
