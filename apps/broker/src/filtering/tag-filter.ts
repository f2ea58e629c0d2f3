import type { MessageFilter } from './message-filter';

const matchAll: MessageFilter = () => true;

/** RocketMQ tag subscription: `*` or blank takes every message, otherwise `a || b` takes messages tagged a or b. */
export function compileTagFilter(expression: string): MessageFilter {
  const trimmed = expression.trim();
  if (trimmed === '' || trimmed === '*') return matchAll;
  const tags = new Set(
    trimmed
      .split('||')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
  );
  return (message) => message.tag !== undefined && tags.has(message.tag);
}
