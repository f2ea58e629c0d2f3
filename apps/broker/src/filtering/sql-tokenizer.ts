import { sqlSyntaxError } from './filter-expression-error';

const KEYWORDS = ['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'CONTAINS', 'STARTSWITH', 'ENDSWITH'] as const;
export type Keyword = (typeof KEYWORDS)[number];
export type SymbolText = '=' | '<>' | '<' | '<=' | '>' | '>=' | '(' | ')' | ',' | '+' | '-';

/** `text` is the token as written and `offset` where it starts, both for error messages. */
interface Located {
  text: string;
  offset: number;
}

export type Token = Located &
  (
    | { kind: 'keyword'; keyword: Keyword }
    | { kind: 'identifier'; name: string }
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: bigint | number }
    | { kind: 'symbol'; symbol: SymbolText }
    | { kind: 'end' }
  );

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const LONG_MAX = 2n ** 63n - 1n;
const WHITESPACE = /[ \t\n\r\f]*/y;
const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/y;
// Decimals need a point or an exponent; an integer may carry Java's long suffix `L`.
const NUMBER = /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+[lL]?/y;
const SYMBOL = /<>|<=|>=|[=<>(),+-]/y;
const WORD_CHARACTER = /[A-Za-z0-9_$.]/;

export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = offset;
    return pattern.exec(expression)?.[0];
  };
  for (;;) {
    offset += match(WHITESPACE)?.length ?? 0;
    if (offset >= expression.length) break;
    const token = expression[offset] === "'" ? readString(expression, offset) : readOther(expression, offset, match);
    tokens.push(token);
    offset += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', offset: expression.length });
  return tokens;
}

/** A single-quoted string in which `''` stands for one quote. */
function readString(expression: string, start: number): Token {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = expression.indexOf("'", i);
    if (quote < 0) throw sqlSyntaxError(expression, start, 'unterminated string literal');
    value += expression.slice(i, quote);
    if (expression[quote + 1] !== "'") return { kind: 'string', value, text: expression.slice(start, quote + 1), offset: start };
    value += "'";
    i = quote + 2;
  }
}

function readOther(expression: string, offset: number, match: (pattern: RegExp) => string | undefined): Token {
  const word = match(IDENTIFIER);
  if (word !== undefined) {
    const upper = word.toUpperCase();
    return KEYWORD_SET.has(upper) ? { kind: 'keyword', keyword: upper as Keyword, text: word, offset } : { kind: 'identifier', name: word, text: word, offset };
  }
  const number = match(NUMBER);
  if (number !== undefined) return numberToken(expression, offset, number);
  const symbol = match(SYMBOL);
  if (symbol !== undefined) return { kind: 'symbol', symbol: symbol as SymbolText, text: symbol, offset };
  throw sqlSyntaxError(expression, offset, `unexpected character '${expression[offset]}'`);
}

function numberToken(expression: string, offset: number, text: string): Token {
  const next = expression[offset + text.length];
  if (next !== undefined && WORD_CHARACTER.test(next)) throw sqlSyntaxError(expression, offset, `malformed number '${text}${next}'`);
  if (/[.eE]/.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) throw sqlSyntaxError(expression, offset, `number ${text} is out of range`);
    return { kind: 'number', value, text, offset };
  }
  const value = BigInt(text.replace(/[lL]$/, ''));
  if (value > LONG_MAX) throw sqlSyntaxError(expression, offset, `integer ${text} does not fit in 64 bits`);
  return { kind: 'number', value, text, offset };
}
