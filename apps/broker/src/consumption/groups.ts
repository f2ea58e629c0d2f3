import { DEFAULT_GROUP, type GroupConfig, type RetryPolicy } from '../config/broker-config';
import { BrokerError, Code } from '../errors';
import { checkGroupName } from '../messaging/names';
import { ConsumerGroup } from './consumer-group';

/** Consumer groups by name: created on first use, configured by the config file or the admin API. */
export class Groups {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly configured = new Map<string, GroupConfig>();

  get(name: string): ConsumerGroup | undefined {
    return this.groups.get(name);
  }

  /** The group, created with its configuration (or the defaults) on first use. */
  group(name: string): ConsumerGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = new ConsumerGroup(this.configOf(name));
      this.groups.set(name, group);
    }
    return group;
  }

  list(): ConsumerGroup[] {
    return [...this.groups.values()];
  }

  configOf(name: string): GroupConfig {
    return { ...DEFAULT_GROUP, ...this.configured.get(name), name };
  }

  has(name: string): boolean {
    return this.groups.has(name) || this.configured.has(name);
  }

  /** Validates and stores a configuration; the caller persists `configs()`. */
  configure(update: Partial<GroupConfig>): GroupConfig {
    const name = checkGroupName(update.name);
    const config = validGroupConfig({ ...this.configOf(name), ...update, name });
    this.configured.set(name, config);
    this.group(name).config = config;
    return config;
  }

  delete(name: string): boolean {
    const existed = this.has(name);
    this.groups.delete(name);
    this.configured.delete(name);
    return existed;
  }

  /** Configurations to persist (those set explicitly). */
  configs(): GroupConfig[] {
    return [...this.configured.values()];
  }
}

function validGroupConfig(config: GroupConfig): GroupConfig {
  const bad = (message: string) => new BrokerError(Code.BAD_REQUEST, message);
  if (typeof config.fifo !== 'boolean') throw bad('fifo must be true or false');
  if (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1 || config.maxAttempts > 1000) throw bad('maxAttempts must be an integer from 1 to 1000');
  if (config.consumeFrom !== 'first' && config.consumeFrom !== 'last') throw bad('consumeFrom must be "first" or "last"');
  checkRetryPolicy(config.retryPolicy, bad);
  return config;
}

const MAX_DELAY_MS = 24 * 3_600_000;

function checkRetryPolicy(policy: RetryPolicy, bad: (message: string) => Error): void {
  const delay = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_DELAY_MS;
  if (policy?.type === 'customized') {
    if (!Array.isArray(policy.delaysMs) || policy.delaysMs.length === 0 || policy.delaysMs.length > 100 || !policy.delaysMs.every(delay)) {
      throw bad('retryPolicy { type: "customized", delaysMs } needs 1 to 100 delays of 0 ms to 1 day');
    }
    return;
  }
  if (policy?.type === 'exponential') {
    const { initialMs, maxMs, multiplier } = policy;
    if (!delay(initialMs) || !delay(maxMs) || initialMs > maxMs || typeof multiplier !== 'number' || !(multiplier >= 1 && multiplier <= 100)) {
      throw bad('retryPolicy { type: "exponential", initialMs, maxMs, multiplier } needs 0 <= initialMs <= maxMs <= 1 day and a multiplier from 1 to 100');
    }
    return;
  }
  throw bad('retryPolicy must be { type: "customized", delaysMs } or { type: "exponential", initialMs, maxMs, multiplier }');
}
