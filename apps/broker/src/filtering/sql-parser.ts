import { type FilterExpressionError, sqlSyntaxError } from './filter-expression-error';
import { type Keyword, type SymbolText, type Token, tokenize } from './sql-tokenizer';

/** A NULL literal and a missing property are both null. */
export type Value = string | bigint | number | boolean | null;
export type Operand = { kind: 'property'; name: string } | { kind: 'literal'; value: Value };
export type RelationalOperator = '<' | '<=' | '>' | '>=';
export type StringMatch = 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH';

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'constant'; value: boolean | null }
  | { kind: 'equals'; left: Operand; right: Operand }
  | { kind: 'relational'; operator: RelationalOperator; left: Operand; right: Operand }
  | { kind: 'isNull'; operand: Operand }
  | { kind: 'in'; property: string; values: ReadonlySet<string> }
  | { kind: 'stringMatch'; match: StringMatch; negated: boolean; subject: Operand; search: string };

/** Until its context is known, a parenthesised or bare term may be either. */
type Node = Condition | Operand;

const RELATIONAL: ReadonlySet<string> = new Set<RelationalOperator>(['<', '<=', '>', '>=']);
const STRING_MATCHES: ReadonlySet<string> = new Set<StringMatch>(['CONTAINS', 'STARTSWITH', 'ENDSWITH']);
const MAX_NESTING = 100;
const NEGATABLE = 'BETWEEN, IN, CONTAINS, STARTSWITH or ENDSWITH';

/**
 * Recursive descent over RocketMQ's SQL92 subset. Precedence, loosest first:
 * OR, AND, NOT, then one predicate (`=`, `<>`, `<`..., [NOT] BETWEEN/IN/CONTAINS/STARTSWITH/ENDSWITH, IS [NOT] NULL).
 */
export function parseSql(expression: string): Condition {
  return new Parser(expression).parseWhole();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(private readonly expression: string) {
    this.tokens = tokenize(expression);
  }

  parseWhole(): Condition {
    const start = this.peek();
    const condition = this.asCondition(this.parseOr(), start);
    this.expectEnd();
    return condition;
  }

  private parseOr(): Node {
    return this.parseJunction('OR', () => this.parseAnd());
  }

  private parseAnd(): Node {
    return this.parseJunction('AND', () => this.parseNot());
  }

  /** Chains are kept flat so that long `a OR b OR ...` lists cannot exhaust the stack when evaluated. */
  private parseJunction(keyword: 'AND' | 'OR', parseOperand: () => Node): Node {
    const start = this.peek();
    const first = parseOperand();
    if (!this.acceptKeyword(keyword)) return first;
    const operands = [this.asCondition(first, start)];
    do {
      const operandStart = this.peek();
      operands.push(this.asCondition(parseOperand(), operandStart));
    } while (this.acceptKeyword(keyword));
    return { kind: keyword === 'AND' ? 'and' : 'or', operands };
  }

  private parseNot(): Node {
    const not = this.peek();
    if (!this.acceptKeyword('NOT')) return this.parsePredicate();
    const start = this.peek();
    return { kind: 'not', operand: this.asCondition(this.nested(not, () => this.parseNot()), start) };
  }

  private parsePredicate(): Node {
    const start = this.peek();
    const left = this.parseTerm();
    const token = this.peek();
    if (token.kind === 'symbol' && (token.symbol === '=' || token.symbol === '<>')) {
      this.index++;
      const equals: Condition = { kind: 'equals', left: this.asComparable(left, start), right: this.asComparable(...this.parseTermAt()) };
      return token.symbol === '=' ? equals : { kind: 'not', operand: equals };
    }
    if (token.kind === 'symbol' && RELATIONAL.has(token.symbol)) {
      this.index++;
      return { kind: 'relational', operator: token.symbol as RelationalOperator, left: this.asNumeric(left, start), right: this.asNumeric(...this.parseTermAt()) };
    }
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.expectKeyword('NULL');
      const isNull: Condition = { kind: 'isNull', operand: this.asOperand(left, start) };
      return negated ? { kind: 'not', operand: isNull } : isNull;
    }
    const negated = this.acceptKeyword('NOT');
    const suffix = this.peek();
    if (suffix.kind === 'keyword') {
      if (suffix.keyword === 'BETWEEN') return this.parseBetween(left, start, negated);
      if (suffix.keyword === 'IN') return this.parseIn(left, start, negated);
      if (STRING_MATCHES.has(suffix.keyword)) {
        this.index++;
        return { kind: 'stringMatch', match: suffix.keyword as StringMatch, negated, subject: this.asOperand(left, start), search: this.expectString() };
      }
    }
    if (negated) throw this.unexpected(suffix, NEGATABLE);
    return left;
  }

  /** `x BETWEEN a AND b` is `x >= a AND x <= b`; the NOT form is `x < a OR x > b`, as in RocketMQ. */
  private parseBetween(subject: Node, start: Token, negated: boolean): Condition {
    this.index++;
    const value = this.asNumeric(subject, start);
    const [lowNode, lowStart] = this.parseTermAt();
    const low = this.asNumeric(lowNode, lowStart);
    this.expectKeyword('AND');
    const high = this.asNumeric(...this.parseTermAt());
    if (low.kind === 'literal' && high.kind === 'literal' && (low.value as bigint | number) > (high.value as bigint | number)) {
      throw sqlSyntaxError(this.expression, lowStart.offset, `BETWEEN bounds are reversed (${String(low.value)} > ${String(high.value)})`);
    }
    return negated
      ? { kind: 'or', operands: [{ kind: 'relational', operator: '<', left: value, right: low }, { kind: 'relational', operator: '>', left: value, right: high }] }
      : { kind: 'and', operands: [{ kind: 'relational', operator: '>=', left: value, right: low }, { kind: 'relational', operator: '<=', left: value, right: high }] };
  }

  private parseIn(subject: Node, start: Token, negated: boolean): Condition {
    this.index++;
    if (subject.kind !== 'property') throw sqlSyntaxError(this.expression, start.offset, 'IN must follow a property name');
    this.expectSymbol('(');
    const values = new Set([this.expectString()]);
    while (this.acceptSymbol(',')) values.add(this.expectString());
    this.expectSymbol(')');
    const inList: Condition = { kind: 'in', property: subject.name, values };
    return negated ? { kind: 'not', operand: inList } : inList;
  }

  /** A property, a literal (a sign only before a number), or a parenthesised expression. */
  private parseTerm(): Node {
    const token = this.tokens[this.index++];
    switch (token.kind) {
      case 'identifier':
        return { kind: 'property', name: token.name };
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') return { kind: 'literal', value: token.keyword === 'TRUE' };
        if (token.keyword === 'NULL') return { kind: 'literal', value: null };
        break;
      case 'symbol':
        if (token.symbol === '(') {
          const inner = this.nested(token, () => this.parseOr());
          this.expectSymbol(')');
          return inner;
        }
        if (token.symbol === '-' || token.symbol === '+') return this.nested(token, () => this.parseSigned(token));
        break;
    }
    throw this.unexpected(token, "a property, a literal or '('");
  }

  private parseSigned(sign: Token): Operand {
    const operand = this.parseTerm();
    if (operand.kind !== 'literal' || (typeof operand.value !== 'bigint' && typeof operand.value !== 'number')) {
      throw sqlSyntaxError(this.expression, sign.offset, `'${sign.text}' must precede a number`);
    }
    return sign.text === '-' ? { kind: 'literal', value: -operand.value } : operand;
  }

  /** Bounds recursion so that a hostile expression gets a FilterExpressionError rather than a stack overflow. */
  private nested<T>(token: Token, parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw sqlSyntaxError(this.expression, token.offset, `nesting deeper than ${MAX_NESTING} levels`);
    const result = parse();
    this.depth--;
    return result;
  }

  /** A term with its first token, for error positions. */
  private parseTermAt(): [Node, Token] {
    const start = this.peek();
    return [this.parseTerm(), start];
  }

  /** Where AND, OR or NOT need a truth value: conditions, TRUE, FALSE and NULL (unknown). */
  private asCondition(node: Node, start: Token): Condition {
    if (node.kind === 'property') throw sqlSyntaxError(this.expression, start.offset, `property '${node.name}' is not a condition`);
    if (node.kind !== 'literal') return node;
    if (typeof node.value === 'boolean' || node.value === null) return { kind: 'constant', value: node.value };
    throw sqlSyntaxError(this.expression, start.offset, `${describeLiteral(node.value)} is not a condition`);
  }

  private asOperand(node: Node, start: Token): Operand {
    if (node.kind === 'property' || node.kind === 'literal') return node;
    throw sqlSyntaxError(this.expression, start.offset, 'expected a property or a literal, not a condition');
  }

  /** RocketMQ refuses `= NULL`: a missing property never equals anything, so only IS NULL can test for it. */
  private asComparable(node: Node, start: Token): Operand {
    const operand = this.asOperand(node, start);
    if (operand.kind === 'literal' && operand.value === null) throw sqlSyntaxError(this.expression, start.offset, 'NULL cannot be compared; use IS NULL');
    return operand;
  }

  /** Ordering and BETWEEN are numeric only, as in RocketMQ; properties are converted when evaluated. */
  private asNumeric(node: Node, start: Token): Operand {
    const operand = this.asOperand(node, start);
    if (operand.kind === 'literal' && typeof operand.value !== 'bigint' && typeof operand.value !== 'number') {
      throw sqlSyntaxError(this.expression, start.offset, `${describeLiteral(operand.value)} cannot be ordered; only numbers can`);
    }
    return operand;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private acceptKeyword(keyword: Keyword): boolean {
    const token = this.peek();
    if (token.kind !== 'keyword' || token.keyword !== keyword) return false;
    this.index++;
    return true;
  }

  private acceptSymbol(symbol: SymbolText): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.symbol !== symbol) return false;
    this.index++;
    return true;
  }

  private expectKeyword(keyword: Keyword): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(this.peek(), keyword);
  }

  private expectSymbol(symbol: SymbolText): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(this.peek(), `'${symbol}'`);
  }

  private expectString(): string {
    const token = this.peek();
    if (token.kind !== 'string') throw this.unexpected(token, 'a string literal');
    this.index++;
    return token.value;
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw this.unexpected(token, 'AND, OR or end of expression');
  }

  private unexpected(token: Token, expected: string): FilterExpressionError {
    const found = token.kind === 'end' ? 'end of expression' : `'${token.text}'`;
    return sqlSyntaxError(this.expression, token.offset, `expected ${expected} but found ${found}`);
  }
}

function describeLiteral(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return typeof value === 'string' ? `string '${value}'` : `number ${value}`;
}
