/**
 * ApsaraMQ for RocketMQ's rule for topic and group names, and the strictest of the brokers we target:
 * Apache RocketMQ also accepts `.` and `%`, but `%` marks system resources (`%DLQ%`, `%RETRY%`) and a
 * name that works on ApsaraMQ works everywhere.
 */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,60}$/;

export type NameKind = 'topic' | 'consumer group' | 'tag';

/** Throws when `name` would be rejected by a broker, so a bad name fails at start-up, not at first send. */
export function assertValidName(kind: NameKind, name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`invalid ${kind} name ${JSON.stringify(name)}: must match ${NAME_PATTERN.source}`);
  }
  return name;
}
