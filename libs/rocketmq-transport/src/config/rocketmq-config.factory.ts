import { hostname } from 'node:os';
import type { RocketMQConnectionOptions } from '../rocketmq.options';

/**
 * Connection options from the environment, so one image runs against the embedded broker, Apache
 * RocketMQ 5 or ApsaraMQ by configuration alone:
 *
 * | Variable | Meaning | Default |
 * |---|---|---|
 * | ROCKETMQ_ENDPOINTS | gRPC endpoint `host:port` | 127.0.0.1:8081 |
 * | ROCKETMQ_NAMESPACE | namespace / ApsaraMQ instance id | (none) |
 * | ROCKETMQ_ACCESS_KEY, ROCKETMQ_SECRET_KEY | AK/SK | (none) |
 * | ROCKETMQ_TLS | `true` for TLS | false |
 * | ROCKETMQ_REQUEST_TIMEOUT_MS | per-call timeout | 3000 |
 * | ROCKETMQ_STARTUP_TIMEOUT_MS | start-up retry budget | 30000 |
 * | INSTANCE_ID | stable process id | hostname-pid |
 * | ROCKETMQ_CLIENT_LOG | `debug` shows the official client's info/debug lines | warn |
 */
export function rocketMQConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Required<Omit<RocketMQConnectionOptions, 'credentials' | 'logger'>> &
  Pick<RocketMQConnectionOptions, 'credentials'> {
  const accessKey = env.ROCKETMQ_ACCESS_KEY;
  const secretKey = env.ROCKETMQ_SECRET_KEY;
  if (Boolean(accessKey) !== Boolean(secretKey)) {
    throw new Error('ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY must be set together');
  }
  return {
    endpoints: env.ROCKETMQ_ENDPOINTS || '127.0.0.1:8081',
    namespace: env.ROCKETMQ_NAMESPACE ?? '',
    credentials: accessKey && secretKey ? { accessKey, secretKey } : undefined,
    tls: env.ROCKETMQ_TLS === 'true',
    requestTimeoutMs: positiveInt(env, 'ROCKETMQ_REQUEST_TIMEOUT_MS', 3000),
    startupTimeoutMs: positiveInt(env, 'ROCKETMQ_STARTUP_TIMEOUT_MS', 30_000),
    instanceId: env.INSTANCE_ID || defaultInstanceId(),
    clientLog: clientLogOf(env.ROCKETMQ_CLIENT_LOG),
  };
}

function clientLogOf(raw: string | undefined): 'warn' | 'debug' {
  if (raw === undefined || raw === '' || raw === 'warn') return 'warn';
  if (raw === 'debug') return raw;
  throw new Error(`ROCKETMQ_CLIENT_LOG must be warn or debug, got ${raw}`);
}

/** Short enough for `<group>-<instanceId>` to stay within 60 characters; the pid always survives. */
export function defaultInstanceId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 30)}-${process.pid}`;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}
