import { BrokerError, Code } from '../errors';

/** ApsaraMQ for RocketMQ 5.x's rule for user resources, stricter than Apache's; portable to both. */
const RESOURCE_NAME = /^[A-Za-z0-9_-]{1,60}$/;
const DEAD_LETTER_NAME = /^%DLQ%[A-Za-z0-9_-]{1,60}$/;

export function isValidResourceName(name: unknown): name is string {
  return typeof name === 'string' && RESOURCE_NAME.test(name);
}

export function checkTopicName(name: unknown, options: { allowDeadLetter?: boolean } = {}): string {
  if (isValidResourceName(name)) return name;
  if (options.allowDeadLetter && typeof name === 'string' && DEAD_LETTER_NAME.test(name)) return name;
  throw new BrokerError(Code.ILLEGAL_TOPIC, `topic name ${JSON.stringify(name)} is invalid: use 1-60 characters of [A-Za-z0-9_-]`);
}

export function checkGroupName(name: unknown): string {
  if (isValidResourceName(name)) return name;
  throw new BrokerError(Code.ILLEGAL_CONSUMER_GROUP, `consumer group name ${JSON.stringify(name)} is invalid: use 1-60 characters of [A-Za-z0-9_-]`);
}
