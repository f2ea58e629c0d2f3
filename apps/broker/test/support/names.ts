import { randomBytes } from 'node:crypto';
import type { BrokerConfigFile, GroupDeclaration, TopicType } from './broker-config';

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
  readonly #config: BrokerConfigFile = { topics: [], groups: [] };

  topic(type: TopicType, prefix = type.toLowerCase(), queues?: number): string {
    const name = uniqueName(prefix);
    this.#config.topics!.push({ name, type, ...(queues ? { queues } : {}) });
    return name;
  }

  group(prefix: string, settings: Omit<GroupDeclaration, 'name'> = {}): string {
    const name = uniqueName(prefix);
    this.#config.groups!.push({ name, ...settings });
    return name;
  }

  toConfig(extra: BrokerConfigFile = {}): BrokerConfigFile {
    return { ...extra, topics: [...this.#config.topics!, ...(extra.topics ?? [])], groups: [...this.#config.groups!, ...(extra.groups ?? [])] };
  }
}
