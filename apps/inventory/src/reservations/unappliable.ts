import { QueryFailedError } from 'typeorm';

// SQLSTATE class 22, "data exception": the values themselves are wrong (out of range, malformed), so
// the same message fails the same way on every retry.
const DATA_EXCEPTION = /^22/;

/** Why Postgres refused the request's data for good, or undefined when a retry might succeed. */
export function unappliableReason(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const { code, message } = error.driverError as { code?: string; message?: string };
  return code && DATA_EXCEPTION.test(code) ? `${message ?? error.message} (SQLSTATE ${code})` : undefined;
}
