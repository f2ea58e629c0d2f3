import type { MessageFilter } from './message-filter';

const matchAll: MessageFilter = () => true;

/** RocketMQ tag subscription: `*` or blank takes every message, otherwise `a || b` takes messages tagged a or b. */
export function compileTagFilter(expression: string): MessageFilter {
  const tags = tagsOf(expression);
  if (!tags) return matchAll;
  return (message) => message.tag !== undefined && tags.has(message.tag);
}

/** The tags a tag expression takes; undefined for `*` (every message). */
export function tagsOf(expression: string): Set<string> | undefined {
  const trimmed = expression.trim();
  if (trimmed === '' || trimmed === '*') return undefined;
  return new Set(
    trimmed
      .split('||')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
  );
}
