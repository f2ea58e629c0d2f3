import { describe, expect, it } from 'vitest';
import { type FilterType, FilterExpressionError, compileFilter } from './index';

describe('compileFilter', () => {
  it('dispatches on the expression type', () => {
    const message = { tag: 'TRUE', properties: {} };
    expect(compileFilter('TAG', 'TRUE')(message)).toBe(true);
    expect(compileFilter('TAG', 'FALSE')(message)).toBe(false);
    expect(compileFilter('SQL', 'TRUE')(message)).toBe(true);
    expect(compileFilter('SQL', 'FALSE')(message)).toBe(false);
  });

  it('returns the cached filter for a repeated type and expression', () => {
    expect(compileFilter('SQL', "a = 'cached'")).toBe(compileFilter('SQL', "a = 'cached'"));
    expect(compileFilter('TAG', 'cached')).toBe(compileFilter('TAG', 'cached'));
    expect(compileFilter('TAG', 'TRUE')).not.toBe(compileFilter('SQL', 'TRUE'));
  });

  it('keeps the cache bounded by dropping the least recently used filters', () => {
    const first = compileFilter('SQL', 'first = 1');
    for (let i = 0; i < 10_000; i++) compileFilter('SQL', `n = ${i}`);
    expect(compileFilter('SQL', 'first = 1')).not.toBe(first);
  });

  it('throws FilterExpressionError for an unparsable expression, every time', () => {
    expect(() => compileFilter('SQL', 'a = ')).toThrow(FilterExpressionError);
    expect(() => compileFilter('SQL', 'a = ')).toThrow(/at column 5/);
  });

  it('throws FilterExpressionError for a type that is neither TAG nor SQL', () => {
    expect(() => compileFilter('FILTER_TYPE_UNSPECIFIED' as FilterType, '*')).toThrow(new FilterExpressionError("unsupported filter type 'FILTER_TYPE_UNSPECIFIED'"));
  });

  it('names its errors', () => {
    expect(new FilterExpressionError('x').name).toBe('FilterExpressionError');
  });
});
