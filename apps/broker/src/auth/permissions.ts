import { BrokerError, Code } from '../errors';

/**
 * What one access key may do, in the spirit of RocketMQ ACL 2.0: nothing unless listed. Entries are
 * exact names or prefixes ending in `*` (`"order-*"`, `"*"`).
 */
export interface UserRights {
  /** Topics it may send to (and end or recall transactions and delay messages of). */
  publish?: string[];
  /** Topics it may receive from (dead-letter topics are named `%DLQ%<group>`). */
  subscribe?: string[];
  /** Consumer groups it may consume as. */
  groups?: string[];
  /** The admin HTTP API. */
  admin?: boolean;
}

function matcher(patterns: readonly string[] = []): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/** An authenticated caller's rights; `Permissions.ALL` for `auth.credentials` users and when auth is off. */
export class Permissions {
  static readonly ALL = new Permissions('everything');

  readonly admin: boolean;
  private readonly publishes: (topic: string) => boolean;
  private readonly subscribes: (topic: string) => boolean;
  private readonly consumesAs: (group: string) => boolean;

  constructor(
    rights: UserRights | 'everything',
    private readonly accessKey = '',
  ) {
    const all = rights === 'everything';
    this.admin = all || rights.admin === true;
    this.publishes = all ? () => true : matcher(rights.publish);
    this.subscribes = all ? () => true : matcher(rights.subscribe);
    this.consumesAs = all ? () => true : matcher(rights.groups);
  }

  /** A route serves producers and consumers alike. */
  requireAccess(topic: string): void {
    if (!this.publishes(topic) && !this.subscribes(topic)) throw this.forbidden(`use topic ${topic}`);
  }

  requirePublish(topic: string): void {
    if (!this.publishes(topic)) throw this.forbidden(`publish to topic ${topic}`);
  }

  requireSubscribe(topic: string, group: string): void {
    if (!this.subscribes(topic)) throw this.forbidden(`subscribe to topic ${topic}`);
    if (!this.consumesAs(group)) throw this.forbidden(`consume as group ${group}`);
  }

  private forbidden(what: string): BrokerError {
    return new BrokerError(Code.FORBIDDEN, `access key ${this.accessKey} may not ${what}`);
  }
}
