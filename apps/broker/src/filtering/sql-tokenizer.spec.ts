import { describe, expect, it } from 'vitest';
import { tokenize } from './sql-tokenizer';

describe('tokenize', () => {
  it('recognises keywords in any case and keeps identifiers as written', () => {
    expect(tokenize('not Between myProp IS $x_1')).toEqual([
      { kind: 'keyword', keyword: 'NOT', text: 'not', offset: 0 },
      { kind: 'keyword', keyword: 'BETWEEN', text: 'Between', offset: 4 },
      { kind: 'identifier', name: 'myProp', text: 'myProp', offset: 12 },
      { kind: 'keyword', keyword: 'IS', text: 'IS', offset: 19 },
      { kind: 'identifier', name: '$x_1', text: '$x_1', offset: 22 },
      { kind: 'end', text: '', offset: 26 },
    ]);
  });

  it.each([
    ["''", ''],
    ["'abc'", 'abc'],
    ["'it''s'", "it's"],
    ["''''", "'"],
    ["'a''''b'", "a''b"],
    ["'\"\\n'", '"\\n'],
  ])('decodes the string literal %s', (text, value) => {
    expect(tokenize(text)[0]).toEqual({ kind: 'string', value, text, offset: 0 });
  });

  it.each([
    ['0', 0n],
    ['42', 42n],
    ['42L', 42n],
    ['42l', 42n],
    ['9223372036854775807', 9223372036854775807n],
    ['1.5', 1.5],
    ['5.', 5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
  ])('reads %s as an integer (bigint) or a decimal (number)', (text, value) => {
    expect(tokenize(text)[0]).toEqual({ kind: 'number', value, text, offset: 0 });
  });

  it('reads two-character operators before one-character ones', () => {
    expect(tokenize('<><=>=<>=(),+-').map((token) => token.text)).toEqual(['<>', '<=', '>=', '<>', '=', '(', ')', ',', '+', '-', '']);
  });
});
