/**
 * The wire shapes this broker reads and writes, as @grpc/proto-loader presents them (camelCase,
 * enums as names, int64 as number). Only the fields we use are typed.
 */
import type { Status } from './status';

export interface Resource { resourceNamespace?: string; name?: string }
export interface Duration { seconds?: number; nanos?: number }
export interface Timestamp { seconds?: number; nanos?: number }
export interface Address { host: string; port: number }
export interface Endpoints { scheme?: string; addresses?: Address[] }
export interface FilterExpression { type?: 'FILTER_TYPE_UNSPECIFIED' | 'TAG' | 'SQL'; expression?: string }
export type WireMessageType = 'MESSAGE_TYPE_UNSPECIFIED' | 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION' | 'LITE' | 'PRIORITY';

export interface SystemProperties {
  tag?: string;
  keys?: string[];
  messageId?: string;
  bodyDigest?: { type: 'MD5'; checksum: string };
  bodyEncoding?: 'ENCODING_UNSPECIFIED' | 'IDENTITY' | 'GZIP';
  messageType?: WireMessageType;
  bornTimestamp?: Timestamp;
  bornHost?: string;
  storeTimestamp?: Timestamp;
  storeHost?: string;
  deliveryTimestamp?: Timestamp;
  receiptHandle?: string;
  queueId?: number;
  queueOffset?: number;
  invisibleDuration?: Duration;
  deliveryAttempt?: number;
  messageGroup?: string;
  traceContext?: string;
  deadLetterQueue?: { topic: string; messageId: string };
}

export interface WireMessage {
  topic?: Resource;
  userProperties?: Record<string, string>;
  systemProperties?: SystemProperties;
  body?: Buffer;
}

export interface RetryPolicyWire {
  maxAttempts: number;
  exponentialBackoff?: { initial: Duration; max: Duration; multiplier: number };
  customizedBackoff?: { next: Duration[] };
}

export interface Settings {
  clientType?: string;
  accessPoint?: Endpoints;
  backoffPolicy?: RetryPolicyWire;
  requestTimeout?: Duration;
  publishing?: { topics?: Resource[]; maxBodySize?: number; validateMessageType?: boolean };
  subscription?: {
    group?: Resource;
    subscriptions?: { topic?: Resource; expression?: FilterExpression }[];
    fifo?: boolean;
    receiveBatchSize?: number;
    longPollingTimeout?: Duration;
  };
  userAgent?: { language?: string; version?: string; platform?: string; hostname?: string };
  metric?: { on: boolean };
  pubSub?: 'publishing' | 'subscription';
}

export interface TelemetryCommand {
  status?: Status;
  settings?: Settings;
  recoverOrphanedTransactionCommand?: { message: WireMessage; transactionId: string };
  threadStackTrace?: { nonce: string; threadStackTrace?: string };
  verifyMessageResult?: { nonce: string };
  command?: string;
}

export const toMillis = (d: Duration | undefined): number | undefined =>
  d === undefined ? undefined : (d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);

export const fromMillis = (ms: number): Duration => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

export const timestampOf = (ms: number): Timestamp => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
