import { hostname } from 'node:os';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServiceConfig {
  /** Lower-case service name, e.g. `price-cache`; also the prefix of its env variables (`PRICE_CACHE_`). */
  name: string;
  /** `<NAME>_HOST`; 127.0.0.1 by default, 0.0.0.0 inside containers. */
  host: string;
  /** `<NAME>_PORT`; 0 picks a free port (tests). */
  port: number;
  /** `LOG_LEVEL`, default info. */
  logLevel: LogLevel;
  /** `INSTANCE_ID`, default `<hostname>-<pid>`: tells replicas apart in logs and in broadcast group names. */
  instanceId: string;
}

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
/** The instance id becomes part of RocketMQ group names (`price-cache-bcast-<id>`, at most 60 chars). */
const INSTANCE_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** Reads a service's settings from the environment (OpenTelemetry demo style: `<SVC>_PORT`, `<SVC>_HOST`). */
export function serviceConfig(name: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  if (!SERVICE_NAME.test(name)) throw new Error(`invalid service name ${JSON.stringify(name)}: must match ${SERVICE_NAME.source}`);
  const prefix = name.toUpperCase().replaceAll('-', '_');
  return {
    name,
    host: env[`${prefix}_HOST`] || '127.0.0.1',
    port: parsePort(`${prefix}_PORT`, env[`${prefix}_PORT`], defaultPort),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    instanceId: parseInstanceId(env.INSTANCE_ID),
  };
}

function parsePort(variable: string, value: string | undefined, fallback: number): number {
  const port = value ? Number(value) : fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${variable} must be a port number (0-65535), got ${JSON.stringify(value ?? fallback)}`);
  return port;
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (!value) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as LogLevel;
}

function parseInstanceId(value: string | undefined): string {
  if (!value) return defaultInstanceId();
  if (!INSTANCE_ID.test(value)) throw new Error(`INSTANCE_ID must match ${INSTANCE_ID.source}, got ${JSON.stringify(value)}`);
  return value;
}

/** Host names may contain dots and run long (Kubernetes pods); keep the pid, which tells processes apart. */
function defaultInstanceId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 30)}-${process.pid}`;
}
