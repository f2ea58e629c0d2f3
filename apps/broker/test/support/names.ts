import { randomBytes } from 'node:crypto';
import type { BrokerConfigFile, GroupDeclaration, TopicDeclaration, TopicType } from '@rocketmq-shop/testing';

const MAX_NAME_LENGTH = 60;

/** A topic or group name unique to this run: `[A-Za-z0-9_-]`, at most 60 characters. */
export function uniqueName(prefix: string): string {
  const suffix = randomBytes(4).toString('hex');
  return `${prefix.slice(0, MAX_NAME_LENGTH - suffix.length - 1)}-${suffix}`;
}

/**
 * The topics and groups one spec file declares in its broker's config. Each test asks for its own
 * names, so no two tests share a topic or a group.
 */
export class TestTopology {
  readonly #topics: TopicDeclaration[] = [];
  readonly #groups: GroupDeclaration[] = [];

  topic(type: TopicType, prefix = type.toLowerCase()): string {
    const name = uniqueName(prefix);
    this.#topics.push({ name, type });
    return name;
  }

  group(prefix: string, settings: Omit<GroupDeclaration, 'name'> = {}): string {
    const name = uniqueName(prefix);
    this.#groups.push({ name, ...settings });
    return name;
  }

  /** The broker config declaring these topics and groups, plus `extra` settings. */
  toConfig(extra: Omit<BrokerConfigFile, 'topics' | 'groups'> = {}): BrokerConfigFile {
    return { ...extra, topics: [...this.#topics], groups: [...this.#groups] };
  }
}
