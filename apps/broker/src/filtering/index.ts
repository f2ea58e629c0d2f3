import { BoundedCache } from './bounded-cache';
import { FilterExpressionError } from './filter-expression-error';
import type { MessageFilter } from './message-filter';
import { matchesCondition } from './sql-evaluator';
import { parseSql } from './sql-parser';
import { compileTagFilter, tagsOf } from './tag-filter';
import { hash32 } from '../util/hash';

export { FilterExpressionError } from './filter-expression-error';
export type { FilterableMessage, MessageFilter } from './message-filter';

export type FilterType = 'TAG' | 'SQL';

// Consumers resend the same few expressions with every receive, so each is parsed once.
const compiledFilters = new BoundedCache<string, MessageFilter>(1000);

/** Compiles a subscription's filter expression; throws FilterExpressionError if it cannot be parsed. */
export function compileFilter(type: FilterType, expression: string): MessageFilter {
  const key = `${type}:${expression}`;
  let filter = compiledFilters.get(key);
  if (filter === undefined) {
    filter = compileUncached(type, expression);
    compiledFilters.set(key, filter);
  }
  return filter;
}

/** A subscription's filter, with a cheap test on a message's tag hash from the queue index. */
export interface SubscriptionFilter {
  /** `TYPE:expression`: receives with equal keys see the same messages. */
  key: string;
  matches: MessageFilter;
  /** False only when `matches` is certainly false for a message with this tag hash (0: no tag). */
  mayMatch(tagHash: number): boolean;
}

const anyTag = () => true;
const subscriptionFilters = new BoundedCache<string, SubscriptionFilter>(1000);

/** compileFilter plus the tag-hash pre-test, so messages another tag takes are skipped without reading them. */
export function compileSubscriptionFilter(type: FilterType, expression: string): SubscriptionFilter {
  const key = `${type}:${expression}`;
  let filter = subscriptionFilters.get(key);
  if (filter === undefined) {
    const tags = type === 'TAG' ? tagsOf(expression) : undefined;
    const hashes = tags && new Set([...tags].map(hash32));
    filter = { key, matches: compileFilter(type, expression), mayMatch: hashes ? (tagHash) => hashes.has(tagHash) : anyTag };
    subscriptionFilters.set(key, filter);
  }
  return filter;
}

function compileUncached(type: FilterType, expression: string): MessageFilter {
  switch (type) {
    case 'TAG':
      return compileTagFilter(expression);
    case 'SQL': {
      const condition = parseSql(expression);
      return (message) => matchesCondition(condition, message);
    }
    default:
      // The type arrives from the wire, where the compiler's guarantee does not hold.
      throw new FilterExpressionError(`unsupported filter type '${String(type)}'`);
  }
}
