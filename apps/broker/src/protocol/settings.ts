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
    if (group) merged.backoffPolicy = retryPolicyWire(group.retryPolicy, group.maxAttempts);
  }
  return merged;
}

/**
 * Always expressed as exponential backoff, as the protocol study recommends: client 1.0.8's
 * PushConsumer ignores a customized policy, takes max_attempts as 1 and dead-letters FIFO messages on
 * their first failure. A customized schedule becomes its first delay doubling up to its last.
 */
export function retryPolicyWire(policy: RetryPolicy, maxAttempts: number): RetryPolicyWire {
  const [initialMs, maxMs, multiplier] =
    policy.type === 'exponential' ? [policy.initialMs, policy.maxMs, policy.multiplier] : [policy.delaysMs[0] ?? 1000, policy.delaysMs.at(-1) ?? 1000, 2];
  return { maxAttempts, exponentialBackoff: { initial: fromMillis(initialMs), max: fromMillis(maxMs), multiplier } };
}
