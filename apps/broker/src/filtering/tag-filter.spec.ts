import { describe, expect, it } from 'vitest';
import { compileTagFilter } from './tag-filter';

describe('compileTagFilter', () => {
  it.each([
    // [expression, tag, matches]
    ['*', 'a', true],
    ['*', undefined, true],
    [' * ', 'a', true],
    ['', 'a', true],
    ['', undefined, true],
    ['   ', undefined, true],
    ['a', 'a', true],
    ['a', 'b', false],
    ['a', 'A', false],
    ['a', undefined, false],
    ['a||b||c', 'b', true],
    ['a||b||c', 'c', true],
    ['a||b||c', 'd', false],
    [' a || b ', 'b', true],
    ['a||b', 'a||b', false],
    ['a||', 'a', true],
    ['||', 'a', false],
    ['a||*', 'b', false],
    ['a||*', '*', true],
    ['ab', 'a', false],
  ])('%j with tag %j matches: %s', (expression, tag, matches) => {
    const filter = compileTagFilter(expression);
    expect(filter({ tag, properties: {} })).toBe(matches);
  });

  it('ignores user properties', () => {
    expect(compileTagFilter('a')({ properties: { TAGS: 'a', tag: 'a' } })).toBe(false);
  });
});
