import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuthConfig } from '../auth/credentials';

export type TopicType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION' | 'MIXED';
export const TOPIC_TYPES: readonly TopicType[] = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'];

export type RetryPolicy =
  | { type: 'customized'; delaysMs: number[] }
  | { type: 'exponential'; initialMs: number; maxMs: number; multiplier: number };

export interface TopicConfig {
  name: string;
  queues: number;
  type: TopicType;
}

export interface GroupConfig {
  name: string;
  fifo: boolean;
  /** Deliveries before the message moves to %DLQ%<group>: 16 retries plus the first delivery. */
  maxAttempts: number;
  consumeFrom: 'first' | 'last';
  retryPolicy: RetryPolicy;
}

export interface BrokerConfig {
  host: string;
  port: number;
  adminPort: number;
  dataDir: string;
  brokerName: string;
  autoCreateTopics: boolean;
  defaultQueues: number;
  topics: TopicConfig[];
  groups: Partial<GroupConfig>[];
  consumer: {
    minInvisibleMs: number;
    maxInvisibleMs: number;
    minLongPollingMs: number;
    maxLongPollingMs: number;
    autoRenewInvisibleMs: number;
    maxBatchSize: number;
  };
  transaction: { firstCheckAfterMs: number; checkIntervalMs: number; maxChecks: number };
  delay: { maxDelayMs: number };
  /** `maxClientSessions`: client ids remembered at once; beyond it the oldest without a telemetry stream is forgotten. */
  limits: { maxBodyBytes: number; maxPropertyBytes: number; maxProperties: number; maxMessageGroupBytes: number; maxClientSessions: number };
  storage: {
    segmentBytes: number;
    fsync: boolean;
    retentionHours: number;
    retentionBytes: number;
    /** In-memory cache of the newest message bodies; older ones are read from disk when delivered. */
    cacheBytes: number;
    /** Flow control: above this many bytes not yet consumed by subscribed groups (plus staged ones), sends get TOO_MANY_REQUESTS. */
    maxUnconsumedBytes: number;
    /** Flow control: above this resident memory, sends get TOO_MANY_REQUESTS. */
    maxMemoryBytes: number;
    /** How often consumer progress and staged messages are checkpointed (also on every segment roll and at shutdown). */
    checkpointIntervalMs: number;
  };
  auth: AuthConfig;
  /** The admin HTTP API: its own interface (loopback unless configured), and the host names it answers to besides IP addresses and localhost. */
  admin: { host: string; allowedHosts: string[] };
}

/** The official Node client's gRPC channel takes at most this per response (grpc-js's default maxReceiveMessageLength). */
export const CLIENT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The largest body every accepted message can be delivered with to the official Node client: its 4 MiB
 * per response less room for 16 KiB of properties, the bounded system fields, the receipt handle and
 * a dead-letter reason. A larger limit would let one message stall a FIFO group.
 */
export const MAX_RECEIVABLE_BODY_BYTES = CLIENT_MAX_RESPONSE_BYTES - 32 * 1024;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Apache RocketMQ's default consumer retry schedule (SubscriptionGroupConfig / CustomizedRetryPolicy). */
export const DEFAULT_RETRY_DELAYS_MS = [
  1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200,
].map((s) => s * SECOND);

export const DEFAULT_GROUP: Omit<GroupConfig, 'name'> = {
  fifo: false,
  maxAttempts: 17,
  consumeFrom: 'first',
  retryPolicy: { type: 'customized', delaysMs: DEFAULT_RETRY_DELAYS_MS },
};

export function defaultConfig(): BrokerConfig {
  return {
    host: '127.0.0.1',
    port: 8081,
    adminPort: 8082,
    dataDir: '.data/broker',
    brokerName: 'embedded',
    autoCreateTopics: false,
    defaultQueues: 8,
    topics: [],
    groups: [],
    consumer: {
      minInvisibleMs: 10 * SECOND,
      maxInvisibleMs: 12 * 60 * MINUTE,
      minLongPollingMs: 5 * SECOND,
      maxLongPollingMs: 20 * SECOND,
      autoRenewInvisibleMs: MINUTE,
      maxBatchSize: 32,
    },
    transaction: { firstCheckAfterMs: 6 * SECOND, checkIntervalMs: 30 * SECOND, maxChecks: 15 },
    delay: { maxDelayMs: 24 * 60 * MINUTE },
    limits: { maxBodyBytes: MAX_RECEIVABLE_BODY_BYTES, maxPropertyBytes: 16 * 1024, maxProperties: 128, maxMessageGroupBytes: 64, maxClientSessions: 10_000 },
    storage: {
      segmentBytes: 64 * 1024 * 1024,
      fsync: true,
      retentionHours: 72,
      retentionBytes: 1024 * 1024 * 1024,
      cacheBytes: 32 * 1024 * 1024,
      maxUnconsumedBytes: 768 * 1024 * 1024,
      maxMemoryBytes: 768 * 1024 * 1024,
      checkpointIntervalMs: 30 * SECOND,
    },
    auth: { credentials: [], maxClockSkewMs: 15 * MINUTE },
    admin: { host: '127.0.0.1', allowedHosts: [] },
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T extends object>(base: T, override: DeepPartial<T> | undefined): T {
  if (!override) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = (base as Record<string, unknown>)[key];
    const nested = current && typeof current === 'object' && !Array.isArray(current) && typeof value === 'object' && !Array.isArray(value);
    out[key] = nested ? merge(current as object, value as object) : value;
  }
  return out as T;
}

const FLAGS: Record<string, keyof BrokerConfig | 'config' | 'adminHost'> = {
  '--host': 'host',
  '--admin-host': 'adminHost',
  '--port': 'port',
  '--admin-port': 'adminPort',
  '--data-dir': 'dataDir',
  '--config': 'config',
};

const ENV: Record<string, keyof BrokerConfig | 'config' | 'adminHost'> = {
  BROKER_HOST: 'host',
  BROKER_ADMIN_HOST: 'adminHost',
  BROKER_PORT: 'port',
  BROKER_ADMIN_PORT: 'adminPort',
  BROKER_DATA_DIR: 'dataDir',
  BROKER_CONFIG: 'config',
};

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown option ${flag}; known: ${Object.keys(FLAGS).join(', ')}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`option ${flag} needs a value`);
    out[key] = value;
  }
  return out;
}

/** Precedence: command-line flags, then environment variables, then the config file, then defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): BrokerConfig {
  const fromEnv: Record<string, string> = {};
  for (const [name, key] of Object.entries(ENV)) if (env[name]) fromEnv[key] = env[name] as string;
  const chosen = { ...fromEnv, ...parseArgs(argv) };
  const file = chosen.config ? (JSON.parse(readFileSync(chosen.config, 'utf8')) as DeepPartial<BrokerConfig>) : undefined;
  const config = merge(defaultConfig(), file);
  if (chosen.host) config.host = chosen.host;
  if (chosen.adminHost) config.admin.host = chosen.adminHost;
  if (chosen.port) config.port = parsePort(chosen.port);
  if (chosen.adminPort) config.adminPort = parsePort(chosen.adminPort);
  // Moving the gRPC port alone moves the admin port with it, so a second broker never collides on 8082.
  else if (chosen.port && file?.adminPort === undefined) config.adminPort = config.port === 0 || config.port === 65535 ? 0 : config.port + 1;
  if (chosen.dataDir) config.dataDir = chosen.dataDir;
  config.dataDir = resolve(config.dataDir);
  const { maxBodyBytes } = config.limits;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > MAX_RECEIVABLE_BODY_BYTES) {
    throw new Error(`limits.maxBodyBytes ${maxBodyBytes} must be from 1 to ${MAX_RECEIVABLE_BODY_BYTES}: a larger message cannot be received by the official Node client (4 MiB per response)`);
  }
  checkAccessConfig(config);
  return config;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTextList = (value: unknown): boolean => value === undefined || (Array.isArray(value) && value.every(isText));

/** Users, rights and admin host names are checked at start: a typo must not open or close access silently. */
function checkAccessConfig({ auth, admin }: BrokerConfig): void {
  const keys = new Set<string>();
  // A list that is not a list counts as one invalid user.
  const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [undefined]);
  for (const [i, user] of [...listOf(auth.credentials), ...listOf(auth.users)].entries()) {
    const { accessKey, secretKey, publish, subscribe, groups, admin: isAdmin } = (user ?? {}) as Record<string, unknown>;
    const valid = isText(accessKey) && isText(secretKey) && isTextList(publish) && isTextList(subscribe) && isTextList(groups) && (isAdmin === undefined || typeof isAdmin === 'boolean');
    if (!valid) throw new Error(`auth user ${i + 1} must be { accessKey, secretKey, publish?: [names], subscribe?: [names], groups?: [names], admin?: true|false } with non-empty strings`);
    if (keys.has(accessKey)) throw new Error(`auth lists access key ${accessKey} twice`);
    keys.add(accessKey);
  }
  if (!Number.isInteger(auth.maxClockSkewMs) || auth.maxClockSkewMs < 1000) throw new Error(`auth.maxClockSkewMs ${auth.maxClockSkewMs} must be an integer of at least 1000`);
  if (!isText(admin.host) || !isTextList(admin.allowedHosts)) throw new Error('admin must be { host: "<address>", allowedHosts: ["<name>", …] }');
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${value}`);
  return port;
}
