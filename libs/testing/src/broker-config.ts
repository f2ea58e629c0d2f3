import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The broker's JSON config file, as documented in apps/broker/README.md (every field optional). */
export type TopicType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION' | 'MIXED';

export interface TopicDeclaration {
  name: string;
  queues?: number;
  type?: TopicType;
}

export interface GroupDeclaration {
  name: string;
  fifo?: boolean;
  maxAttempts?: number;
  consumeFrom?: 'first' | 'last';
  retryPolicy?: { type: 'customized'; delaysMs: number[] } | { type: 'exponential'; initialMs: number; maxMs: number; multiplier: number };
}

export interface BrokerConfigFile {
  autoCreateTopics?: boolean;
  defaultQueues?: number;
  topics?: TopicDeclaration[];
  groups?: GroupDeclaration[];
  consumer?: {
    minInvisibleMs?: number;
    maxInvisibleMs?: number;
    minLongPollingMs?: number;
    maxLongPollingMs?: number;
    autoRenewInvisibleMs?: number;
  };
  transaction?: { firstCheckAfterMs?: number; checkIntervalMs?: number; maxChecks?: number };
  delay?: { maxDelayMs?: number };
  storage?: {
    segmentBytes?: number;
    fsync?: boolean;
    retentionHours?: number;
    retentionBytes?: number;
    cacheBytes?: number;
    maxUnconsumedBytes?: number;
    maxMemoryBytes?: number;
    checkpointIntervalMs?: number;
  };
  auth?: {
    credentials: { accessKey: string; secretKey: string }[];
    users?: { accessKey: string; secretKey: string; publish?: string[]; subscribe?: string[]; groups?: string[]; admin?: boolean }[];
    maxClockSkewMs?: number;
  };
  limits?: { maxBodyBytes?: number; maxClientSessions?: number };
  admin?: { host?: string; allowedHosts?: string[] };
}

/** Short timings so that redelivery, long polling and transaction check-back happen within a test. */
export const FAST_TEST_SETTINGS: BrokerConfigFile = {
  consumer: { minInvisibleMs: 1000, minLongPollingMs: 500 },
  transaction: { firstCheckAfterMs: 1000, checkIntervalMs: 1000, maxChecks: 3 },
};

export function withFastTestSettings(config: BrokerConfigFile): BrokerConfigFile {
  return {
    ...FAST_TEST_SETTINGS,
    ...config,
    consumer: { ...FAST_TEST_SETTINGS.consumer, ...config.consumer },
    transaction: { ...FAST_TEST_SETTINGS.transaction, ...config.transaction },
  };
}

export function writeBrokerConfig(dir: string, config: BrokerConfigFile): string {
  const path = join(dir, 'broker.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
