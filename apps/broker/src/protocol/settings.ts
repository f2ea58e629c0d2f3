import type { Broker } from '../broker';
import type { RetryPolicy } from '../config/broker-config';
import { type RetryPolicyWire, type Settings, fromMillis } from './wire';

/** The Java proxy's producer retry policy: 3 attempts, 10 ms doubling to 1 s. */
const PRODUCER_BACKOFF: RetryPolicyWire = {
  maxAttempts: 3,
  exponentialBackoff: { initial: fromMillis(10), max: fromMillis(1000), multiplier: 2 },
};

/**
 * Echo the client's settings merged with the server's, as GrpcClientSettingsManager does. The
 * client waits forever for this reply, and crashes on a producer reply without backoff_policy or a
 * consumer reply without receive_batch_size.
 */
export function mergeSettings(client: Settings, broker: Broker): Settings {
  const merged: Settings = { ...client, metric: { on: false } };
  delete merged.pubSub;
  if (client.publishing) {
    merged.backoffPolicy = PRODUCER_BACKOFF;
    merged.publishing = { ...client.publishing, maxBodySize: broker.config.limits.maxBodyBytes, validateMessageType: true };
  } else if (client.subscription) {
    const groupName = client.subscription.group?.name;
    const group = groupName ? broker.groups.group(groupName).config : undefined;
    merged.subscription = {
      ...client.subscription,
      fifo: group?.fifo ?? false,
      receiveBatchSize: broker.config.consumer.maxBatchSize,
      longPollingTimeout: fromMillis(broker.config.consumer.maxLongPollingMs),
    };
    if (group) merged.backoffPolicy = retryPolicyWire(group.retryPolicy, group.maxAttempts, client.userAgent);
  }
  return merged;
}

/** The last rocketmq-client-nodejs version known to mishandle a customized retry policy (protocol study §1.2). */
const LAST_NODE_CLIENT_MISREADING_CUSTOMIZED = [1, 0, 8];

/**
 * The group's policy as the Java proxy sends it — except to rocketmq-client-nodejs up to 1.0.8, whose
 * PushConsumer ignores a customized policy, takes max_attempts as 1 and dead-letters FIFO messages on
 * their first failure: it gets the schedule as exponential backoff (first delay doubling up to the last).
 */
function retryPolicyWire(policy: RetryPolicy, maxAttempts: number, userAgent: Settings['userAgent']): RetryPolicyWire {
  if (policy.type === 'exponential') {
    return { maxAttempts, exponentialBackoff: { initial: fromMillis(policy.initialMs), max: fromMillis(policy.maxMs), multiplier: policy.multiplier } };
  }
  if (!misreadsCustomizedBackoff(userAgent)) return { maxAttempts, customizedBackoff: { next: policy.delaysMs.map(fromMillis) } };
  const [initialMs = 1000, maxMs = initialMs] = [policy.delaysMs[0], policy.delaysMs.at(-1)];
  return { maxAttempts, exponentialBackoff: { initial: fromMillis(initialMs), max: fromMillis(maxMs), multiplier: 2 } };
}

/** A Node client without a version, or with an unparsable one, is assumed to be the old one. */
function misreadsCustomizedBackoff(userAgent: Settings['userAgent']): boolean {
  if (userAgent?.language !== 'NODE_JS') return false;
  const version = /^(\d+)\.(\d+)\.(\d+)/.exec(userAgent.version ?? '')?.slice(1).map(Number);
  if (!version) return true;
  for (let i = 0; i < version.length; i++) {
    if (version[i] !== LAST_NODE_CLIENT_MISREADING_CUSTOMIZED[i]) return version[i] < LAST_NODE_CLIENT_MISREADING_CUSTOMIZED[i];
  }
  return true;
}
