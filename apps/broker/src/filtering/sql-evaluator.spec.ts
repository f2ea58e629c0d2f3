import { describe, expect, it } from 'vitest';
import type { FilterableMessage } from './message-filter';
import { matchesCondition } from './sql-evaluator';
import { parseSql } from './sql-parser';

type Case = [expression: string, message: FilterableMessage, matches: boolean];

const props = (properties: Record<string, string>): FilterableMessage => ({ properties });
const tagged = (tag: string, properties: Record<string, string> = {}): FilterableMessage => ({ tag, properties });
const none = props({});

function check(cases: Case[]): void {
  it.each(cases)('%s on %j → %s', (expression, message, matches) => {
    expect(matchesCondition(parseSql(expression), message)).toBe(matches);
  });
}

describe('SQL filter: equality', () => {
  check([
    ["a = 'x'", props({ a: 'x' }), true],
    ["a = 'x'", props({ a: 'y' }), false],
    ["a = 'x'", props({ a: 'X' }), false],
    ["a = 'x'", none, false],
    ["a <> 'x'", props({ a: 'y' }), true],
    ["a <> 'x'", props({ a: 'x' }), false],
    ["a <> 'x'", none, false],
    ["a = ''", props({ a: '' }), true],
    ["a = ''", none, false],
    ["'x' = a", props({ a: 'x' }), true],
    ['a = b', props({ a: 'x', b: 'x' }), true],
    ['a = b', props({ a: 'x', b: 'y' }), false],
    ['a = b', props({ a: 'x' }), false],
    ['A = 1', props({ a: '1' }), false],
  ]);
});

describe('SQL filter: string escapes', () => {
  check([
    ["a = 'it''s'", props({ a: "it's" }), true],
    ["a = 'it''s'", props({ a: "it''s" }), false],
    ["a = ''''", props({ a: "'" }), true],
    ["a = 'a''''b'", props({ a: "a''b" }), true],
    ["a = 'x AND y'", props({ a: 'x AND y' }), true],
    ["a = '  '", props({ a: '  ' }), true],
    ["a = 'ünï €'", props({ a: 'ünï €' }), true],
  ]);
});

describe('SQL filter: numbers against string properties', () => {
  check([
    ['a = 10', props({ a: '10' }), true],
    ['a = 10', props({ a: '010' }), true],
    ['a = 10', props({ a: '+10' }), true],
    ['a = 10', props({ a: '10.0' }), true],
    ['a = 10', props({ a: '1e1' }), true],
    ['a = 10', props({ a: '11' }), false],
    ['a = 10', props({ a: 'ten' }), false],
    ['a = 10', props({ a: ' 10' }), false],
    ['a = 10', props({ a: '' }), false],
    ['a <> 10', props({ a: '11' }), true],
    ['a <> 10', props({ a: 'ten' }), false],
    ['NOT (a = 10)', props({ a: 'ten' }), false],
    ["a = '10'", props({ a: '10.0' }), false],
    ['a = 10L', props({ a: '10' }), true],
    ['a = 1e2', props({ a: '100' }), true],
    ['a = .5', props({ a: '0.5' }), true],
    ['a = 5.', props({ a: '5' }), true],
    ['a > 5', props({ a: '6' }), true],
    ['a > 5', props({ a: '5' }), false],
    ['a > 5', props({ a: '5.5' }), true],
    ['a > 5', props({ a: '-7' }), false],
    ['a > 5', props({ a: 'abc' }), false],
    ['a > 5', none, false],
    ['a >= 5', props({ a: '5' }), true],
    ['a >= 5', props({ a: '4.999' }), false],
    ['a < 5.5', props({ a: '5' }), true],
    ['a < 5.5', props({ a: '5.5' }), false],
    ['a <= -2', props({ a: '-2' }), true],
    ['a <= -2', props({ a: '-1' }), false],
    ['a > +3', props({ a: '4' }), true],
    ['a > - 3', props({ a: '-2' }), true],
    ['a > --3', props({ a: '4' }), true],
    ['a > -(3)', props({ a: '-2' }), true],
    ['a > 9007199254740992', props({ a: '9007199254740993' }), true],
    ['a = 9223372036854775807', props({ a: '9223372036854775807' }), true],
    ['a = 9223372036854775807', props({ a: '9223372036854775806' }), false],
    ['a < b', props({ a: '2', b: '10' }), true],
    ['a < b', props({ a: '2', b: 'x' }), false],
    ['5 > 3', none, true],
    ['1 = 1.0', none, true],
    ["'x' = 'x'", none, true],
  ]);
});

describe('SQL filter: booleans', () => {
  check([
    ['TRUE', none, true],
    ['FALSE', none, false],
    ['NULL', none, false],
    ['NOT NULL', none, false],
    ['NOT FALSE', none, true],
    ['a = TRUE', props({ a: 'true' }), true],
    ['a = TRUE', props({ a: 'TRUE' }), true],
    ['a = TRUE', props({ a: 'false' }), false],
    ['a = TRUE', props({ a: 'yes' }), false],
    ['NOT (a = TRUE)', props({ a: 'yes' }), false],
    ['a = FALSE', props({ a: 'False' }), true],
    ["a = 'true'", props({ a: 'TRUE' }), false],
    ['1 = TRUE', none, false],
    ['TRUE = TRUE', none, true],
  ]);
});

describe('SQL filter: precedence and logic', () => {
  const or1and23 = 'a = 1 OR b = 2 AND c = 3';
  check([
    [or1and23, props({ a: '1' }), true],
    [or1and23, props({ b: '2' }), false],
    [or1and23, props({ b: '2', c: '3' }), true],
    [or1and23, props({ a: '1', b: '0', c: '0' }), true],
    ['(a = 1 OR b = 2) AND c = 3', props({ a: '1' }), false],
    ['(a = 1 OR b = 2) AND c = 3', props({ a: '1', c: '3' }), true],
    ['a = 1 AND b = 2 OR c = 3', props({ c: '3' }), true],
    ['a = 1 AND b = 2 OR c = 3', props({ a: '1' }), false],
    ['NOT a = 1 AND b = 2', props({ a: '2', b: '2' }), true],
    ['NOT a = 1 AND b = 2', props({ a: '1', b: '2' }), false],
    ['NOT a = 1 OR a = 1', props({ a: '1' }), true],
    ['NOT NOT a = 1', props({ a: '1' }), true],
    ['NOT (a = 1 OR b = 2)', props({ a: '3', b: '3' }), true],
    ['NOT (a = 1 OR b = 2)', props({ a: '1', b: '3' }), false],
    ['((a = 1))', props({ a: '1' }), true],
    ['(a) = 1', props({ a: '1' }), true],
    ['a = 1 or b = 2 AnD c = 3', props({ b: '2', c: '3' }), true],
    ['not a is null', props({ a: 'x' }), true],
    ["a\n=\t'x'\r\nand\fb = 1", props({ a: 'x', b: '1' }), true],
  ]);
});

describe('SQL filter: unknown (missing or unconvertible) values', () => {
  check([
    ['a = 1 OR b = 2', props({ b: '2' }), true],
    ['a = 1 AND b = 2', props({ b: '2' }), false],
    ['NOT (a = 1)', none, false],
    ['NOT (a = 1 AND b = 2)', props({ b: '3' }), true],
    ['NOT (a = 1 OR b = 2)', props({ b: '3' }), false],
    ['a > 1 OR TRUE', props({ a: 'x' }), true],
    ['NOT (a > 1)', props({ a: 'x' }), false],
    ['NULL OR TRUE', none, true],
    ['NULL AND FALSE OR TRUE', none, true],
  ]);
});

describe('SQL filter: long chains', () => {
  it('evaluates 100 000 ORed comparisons without exhausting the stack', () => {
    const condition = parseSql(Array.from({ length: 100_000 }, (_, i) => `a = ${i}`).join(' OR '));
    expect(matchesCondition(condition, props({ a: '99999' }))).toBe(true);
    expect(matchesCondition(condition, props({ a: '-1' }))).toBe(false);
  });
});

describe('SQL filter: IS NULL', () => {
  check([
    ['a IS NULL', none, true],
    ['a IS NULL', props({ a: '' }), false],
    ['a IS NULL', props({ a: 'x' }), false],
    ['a IS NOT NULL', none, false],
    ['a IS NOT NULL', props({ a: 'x' }), true],
    ['a is not null', props({ a: '' }), true],
    ['TAGS IS NULL', none, true],
    ['TAGS IS NULL', tagged('t'), false],
    ['constructor IS NULL', none, true],
    ['__proto__ IS NULL', none, true],
    ["toString = 'x'", none, false],
    ['NULL IS NULL', none, true],
    ["'x' IS NULL", none, false],
  ]);
});

describe('SQL filter: BETWEEN', () => {
  check([
    ['a BETWEEN 1 AND 3', props({ a: '1' }), true],
    ['a BETWEEN 1 AND 3', props({ a: '2' }), true],
    ['a BETWEEN 1 AND 3', props({ a: '3' }), true],
    ['a BETWEEN 1 AND 3', props({ a: '2.5' }), true],
    ['a BETWEEN 1 AND 3', props({ a: '0' }), false],
    ['a BETWEEN 1 AND 3', props({ a: '4' }), false],
    ['a BETWEEN 1 AND 3', props({ a: 'x' }), false],
    ['a BETWEEN 1 AND 3', none, false],
    ['a BETWEEN 2 AND 2', props({ a: '2' }), true],
    ['a BETWEEN -1.5 AND 1.5', props({ a: '-1' }), true],
    ['a NOT BETWEEN 1 AND 3', props({ a: '0' }), true],
    ['a NOT BETWEEN 1 AND 3', props({ a: '4' }), true],
    ['a NOT BETWEEN 1 AND 3', props({ a: '2' }), false],
    ['a NOT BETWEEN 1 AND 3', props({ a: 'x' }), false],
    ['a NOT BETWEEN 1 AND 3', none, false],
    ['NOT a BETWEEN 1 AND 3', props({ a: '5' }), true],
    ["a BETWEEN 1 AND 3 AND b = 'x'", props({ a: '2', b: 'x' }), true],
    ["a BETWEEN 1 AND 3 AND b = 'x'", props({ a: '2', b: 'y' }), false],
    ['a BETWEEN b AND c', props({ a: '2', b: '1', c: '3' }), true],
    ['a BETWEEN b AND c', props({ a: '2', b: '1' }), false],
  ]);
});

describe('SQL filter: IN', () => {
  check([
    ["a IN ('x', 'y')", props({ a: 'x' }), true],
    ["a IN ('x', 'y')", props({ a: 'y' }), true],
    ["a IN ('x', 'y')", props({ a: 'z' }), false],
    ["a IN ('x', 'y')", props({ a: 'X' }), false],
    ["a IN ('x', 'y')", none, false],
    ["a NOT IN ('x', 'y')", props({ a: 'z' }), true],
    ["a NOT IN ('x', 'y')", props({ a: 'x' }), false],
    ["a NOT IN ('x', 'y')", none, false],
    ["a IN ('it''s')", props({ a: "it's" }), true],
    ["a IN ('1')", props({ a: '1' }), true],
    ["a IN ('1')", props({ a: '01' }), false],
    ["TAGS IN ('TagA', 'TagB')", tagged('TagA'), true],
    ["TAGS IN ('TagA', 'TagB')", tagged('TagC'), false],
    ["TAGS IN ('TagA', 'TagB')", props({ TAGS: 'TagA' }), false],
  ]);
});

describe('SQL filter: CONTAINS, STARTSWITH, ENDSWITH', () => {
  check([
    ["a CONTAINS 'bc'", props({ a: 'abcd' }), true],
    ["a CONTAINS 'bc'", props({ a: 'abd' }), false],
    ["a CONTAINS 'B'", props({ a: 'abc' }), false],
    ["a CONTAINS 'bc'", none, false],
    ["a NOT CONTAINS 'bc'", props({ a: 'abd' }), true],
    ["a NOT CONTAINS 'bc'", props({ a: 'abcd' }), false],
    ["a NOT CONTAINS 'bc'", none, false],
    ["NOT (a CONTAINS 'bc')", none, false],
    ["a STARTSWITH 'ab'", props({ a: 'abc' }), true],
    ["a STARTSWITH 'ab'", props({ a: 'cab' }), false],
    ["a NOT STARTSWITH 'ab'", props({ a: 'cab' }), true],
    ["a NOT STARTSWITH 'ab'", props({ a: 'abc' }), false],
    ["a ENDSWITH 'yz'", props({ a: 'xyz' }), true],
    ["a ENDSWITH 'yz'", props({ a: 'yzx' }), false],
    ["a NOT ENDSWITH 'yz'", props({ a: 'yzx' }), true],
    ["a NOT ENDSWITH 'yz'", props({ a: 'xyz' }), false],
    ["a CONTAINS ''", props({ a: 'abc' }), false],
    ["a NOT CONTAINS ''", props({ a: 'abc' }), false],
    ["a startswith 'it''s'", props({ a: "it's here" }), true],
    ["5 CONTAINS '5'", none, false],
    ["TAGS ENDSWITH 'A'", tagged('TagA'), true],
  ]);
});

describe('SQL filter: RocketMQ documentation examples', () => {
  const example = "(TAGS is not null and TAGS in ('TagA', 'TagB')) and (a is not null and a between 0 and 3)";
  check([
    [example, tagged('TagA', { a: '0' }), true],
    [example, tagged('TagB', { a: '3' }), true],
    [example, tagged('TagC', { a: '1' }), false],
    [example, tagged('TagA', { a: '4' }), false],
    [example, tagged('TagA'), false],
    [example, props({ a: '1' }), false],
  ]);

  const orders = "(region = 'eu' AND amount > 100) OR vip = 'true'";
  check([
    [orders, props({ region: 'eu', amount: '150' }), true],
    [orders, props({ region: 'eu', amount: '99' }), false],
    [orders, props({ region: 'us', amount: '500' }), false],
    [orders, props({ region: 'apac', amount: '1', vip: 'true' }), true],
    [orders, props({ amount: '900' }), false],
  ]);
});
