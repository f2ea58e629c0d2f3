import type { FilterableMessage } from './message-filter';
import type { Condition, Operand, RelationalOperator, StringMatch, Value } from './sql-parser';

/** SQL three-valued logic: null is "unknown", e.g. a comparison with a missing property. Only true selects a message. */
type Truth = boolean | null;
type NumericValue = bigint | number;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const STRING_TESTS: Record<StringMatch, (subject: string, search: string) => boolean> = {
  CONTAINS: (subject, search) => subject.includes(search),
  STARTSWITH: (subject, search) => subject.startsWith(search),
  ENDSWITH: (subject, search) => subject.endsWith(search),
};

export function matchesCondition(condition: Condition, message: FilterableMessage): boolean {
  return evaluate(condition, message) === true;
}

function evaluate(condition: Condition, message: FilterableMessage): Truth {
  switch (condition.kind) {
    case 'and':
      return junction(condition.operands, false, message);
    case 'or':
      return junction(condition.operands, true, message);
    case 'not': {
      const operand = evaluate(condition.operand, message);
      return operand === null ? null : !operand;
    }
    case 'constant':
      return condition.value;
    case 'equals':
      return equals(valueOf(condition.left, message), valueOf(condition.right, message));
    case 'relational':
      return order(condition.operator, valueOf(condition.left, message), valueOf(condition.right, message));
    case 'isNull':
      return valueOf(condition.operand, message) === null;
    case 'in': {
      const value = property(message, condition.property);
      return value === null ? null : condition.values.has(value);
    }
    case 'stringMatch': {
      // RocketMQ never matches an empty search string, with or without NOT.
      if (condition.search === '') return false;
      const subject = valueOf(condition.subject, message);
      if (subject === null) return null;
      if (typeof subject !== 'string') return false;
      return STRING_TESTS[condition.match](subject, condition.search) !== condition.negated;
    }
  }
}

/** AND stops at the first false and OR at the first true; otherwise any unknown operand makes the result unknown. */
function junction(operands: Condition[], decisive: boolean, message: FilterableMessage): Truth {
  let unknown = false;
  for (const operand of operands) {
    const truth = evaluate(operand, message);
    if (truth === decisive) return decisive;
    if (truth === null) unknown = true;
  }
  return unknown ? null : !decisive;
}

function valueOf(operand: Operand, message: FilterableMessage): Value {
  return operand.kind === 'literal' ? operand.value : property(message, operand.name);
}

/** The tag is visible as `TAGS`, as in RocketMQ. hasOwn keeps names like `constructor` from reaching Object.prototype. */
function property(message: FilterableMessage, name: string): string | null {
  if (name === 'TAGS') return message.tag ?? null;
  return Object.hasOwn(message.properties, name) ? message.properties[name] : null;
}

/** Strings compare as strings; a string against a number or boolean is read as one, and unknown if it is not one. */
function equals(left: Value, right: Value): Truth {
  if (left === null || right === null) return null;
  if (typeof left === 'string' && typeof right !== 'string') return equals(readAs(right, left), right);
  if (typeof right === 'string' && typeof left !== 'string') return equals(left, readAs(left, right));
  if (typeof left === 'string' || typeof left === 'boolean' || typeof right === 'boolean') return left === right;
  return compareNumbers(left, right as NumericValue) === 0;
}

function readAs(sample: NumericValue | boolean, text: string): Value {
  return typeof sample === 'boolean' ? readBoolean(text) : readNumber(text);
}

function readBoolean(text: string): boolean | null {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** Integers stay exact as bigint so 64-bit ids compare correctly; anything else numeric becomes a double. */
function readNumber(text: string): NumericValue | null {
  if (INTEGER.test(text)) return BigInt(text);
  return DECIMAL.test(text) ? Number(text) : null;
}

function order(operator: RelationalOperator, left: Value, right: Value): Truth {
  const l = asNumber(left);
  const r = asNumber(right);
  if (l === null || r === null) return null;
  const sign = compareNumbers(l, r);
  switch (operator) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

function asNumber(value: Value): NumericValue | null {
  if (typeof value === 'string') return readNumber(value);
  return typeof value === 'bigint' || typeof value === 'number' ? value : null;
}

/** JavaScript compares bigint with number exactly, so mixed operands need no conversion. */
function compareNumbers(left: NumericValue, right: NumericValue): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
