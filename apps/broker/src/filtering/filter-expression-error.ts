/** Thrown when a subscription's filter expression cannot be compiled; the message says what is wrong and where. */
export class FilterExpressionError extends Error {
  override readonly name = 'FilterExpressionError';
}

/** A syntax error located at a 0-based offset of an SQL filter, reported as a 1-based column. */
export function sqlSyntaxError(expression: string, offset: number, problem: string): FilterExpressionError {
  return new FilterExpressionError(`${problem} at column ${offset + 1} of SQL filter: ${expression}`);
}
