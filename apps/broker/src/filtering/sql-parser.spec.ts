import { describe, expect, it } from 'vitest';
import { FilterExpressionError } from './filter-expression-error';
import { parseSql } from './sql-parser';

describe('parseSql', () => {
  it('builds a tree in which AND binds tighter than OR', () => {
    const equals = (name: string, value: bigint) => ({ kind: 'equals', left: { kind: 'property', name }, right: { kind: 'literal', value } });
    expect(parseSql('a = 1 OR b = 2 AND c = 3')).toEqual({ kind: 'or', operands: [equals('a', 1n), { kind: 'and', operands: [equals('b', 2n), equals('c', 3n)] }] });
  });

  it('keeps chains flat', () => {
    expect(parseSql('TRUE OR FALSE OR NULL')).toEqual({
      kind: 'or',
      operands: [
        { kind: 'constant', value: true },
        { kind: 'constant', value: false },
        { kind: 'constant', value: null },
      ],
    });
  });

  it('accepts nesting 100 levels deep and refuses deeper', () => {
    expect(() => parseSql(`${'('.repeat(100)}a = 1${')'.repeat(100)}`)).not.toThrow();
    expect(() => parseSql(`${'NOT '.repeat(100)}a = 1`)).not.toThrow();
    expect(() => parseSql(`${'('.repeat(101)}a = 1${')'.repeat(101)}`)).toThrow('nesting deeper than 100 levels at column 101');
    expect(() => parseSql(`${'NOT '.repeat(101)}a = 1`)).toThrow('nesting deeper than 100 levels at column 401');
    expect(() => parseSql(`a = ${'-'.repeat(101)}1`)).toThrow('nesting deeper than 100 levels at column 105');
  });

  it('folds signs into numeric literals', () => {
    expect(parseSql('a > -2.5')).toEqual({ kind: 'relational', operator: '>', left: { kind: 'property', name: 'a' }, right: { kind: 'literal', value: -2.5 } });
  });

  it.each([
    // [expression, expected message]
    ['', "expected a property, a literal or '(' but found end of expression at column 1"],
    ['   ', "expected a property, a literal or '(' but found end of expression at column 4"],
    ["a = 'abc", 'unterminated string literal at column 5'],
    ["a = 'it''s", 'unterminated string literal at column 5'],
    ["a = 'x''", 'unterminated string literal at column 5'],
    ['a =', "expected a property, a literal or '(' but found end of expression at column 4"],
    ['a = 1 AND', "expected a property, a literal or '(' but found end of expression at column 10"],
    ['a = 1 OR', 'found end of expression at column 9'],
    ['NOT', 'found end of expression at column 4'],
    ['a = = 1', "found '=' at column 5"],
    ["region = = 'eu' AND (", "found '=' at column 10"],
    ['a = 1 #', "unexpected character '#' at column 7"],
    ['a != 1', "unexpected character '!' at column 3"],
    ['a = "x"', `unexpected character '"' at column 5`],
    ['a.b = 1', "unexpected character '.' at column 2"],
    ['a == 1', "found '=' at column 4"],
    ['(a = 1', "expected ')' but found end of expression at column 7"],
    ['a = 1)', "expected AND, OR or end of expression but found ')' at column 6"],
    ['a = 1 b = 2', "expected AND, OR or end of expression but found 'b' at column 7"],
    ['a = 1 = 2', "found '=' at column 7"],
    ['a = 1 -- comment', "found '-' at column 7"],
    ['AND = 1', "found 'AND' at column 1"],
    ['in = 1', "found 'in' at column 1"],
    ['a', "property 'a' is not a condition at column 1"],
    ['a AND b = 1', "property 'a' is not a condition at column 1"],
    ['b = 1 OR (a)', "property 'a' is not a condition at column 10"],
    ['NOT a', "property 'a' is not a condition at column 5"],
    ['1', 'number 1 is not a condition at column 1'],
    ["'x' OR a = 1", "string 'x' is not a condition at column 1"],
    ['a = NULL', 'NULL cannot be compared; use IS NULL at column 5'],
    ['NULL <> a', 'NULL cannot be compared; use IS NULL at column 1'],
    ["a > 'x'", "string 'x' cannot be ordered; only numbers can at column 5"],
    ['a > TRUE', 'TRUE cannot be ordered; only numbers can at column 5'],
    ['NULL < 1', 'NULL cannot be ordered; only numbers can at column 1'],
    ["a BETWEEN 'a' AND 'c'", "string 'a' cannot be ordered; only numbers can at column 11"],
    ['a BETWEEN 3 AND 1', 'BETWEEN bounds are reversed (3 > 1) at column 11'],
    ['a BETWEEN 1', 'expected AND but found end of expression at column 12'],
    ['a BETWEEN 1 OR 2', "expected AND but found 'OR' at column 13"],
    ['a IN ()', "expected a string literal but found ')' at column 7"],
    ['a IN (1, 2)', "expected a string literal but found '1' at column 7"],
    ["a IN 'x'", "expected '(' but found ''x'' at column 6"],
    ["a IN ('x'", "expected ')' but found end of expression at column 10"],
    ["a IN ('x',)", "expected a string literal but found ')' at column 11"],
    ["'a' IN ('x')", 'IN must follow a property name at column 1'],
    ['a CONTAINS b', "expected a string literal but found 'b' at column 12"],
    ['a STARTSWITH 1', "expected a string literal but found '1' at column 14"],
    ['a NOT = 1', "expected BETWEEN, IN, CONTAINS, STARTSWITH or ENDSWITH but found '=' at column 7"],
    ['a IS 1', "expected NULL but found '1' at column 6"],
    ['a IS NOT', 'expected NULL but found end of expression at column 9'],
    ['-a > 1', "'-' must precede a number at column 1"],
    ["a > -'x'", "'-' must precede a number at column 5"],
    ['(a = 1) = TRUE', 'expected a property or a literal, not a condition at column 1'],
    ['a = 12abc', "malformed number '12a' at column 5"],
    ['a = 1.2.3', "malformed number '1.2.' at column 5"],
    ['a = 9223372036854775808', 'integer 9223372036854775808 does not fit in 64 bits at column 5'],
    ['a = 1e999', 'number 1e999 is out of range at column 5'],
  ])('rejects %j: %s', (expression, message) => {
    let error: unknown;
    try {
      parseSql(expression);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(FilterExpressionError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain(`SQL filter: ${expression}`);
  });
});
