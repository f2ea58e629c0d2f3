/** Thrown by a service whose own deadline for a request ran out: the client may try again later (503). */
export class DeadlineMissedError extends Error {
  override readonly name = 'DeadlineMissedError';
}

/** Thrown by a service that refuses work it cannot answer in time (load shedding): 503, try again later. */
export class OverloadedError extends Error {
  override readonly name = 'OverloadedError';
}

// Postgres SQLSTATEs meaning "the database cannot serve you now", not "your request is wrong":
// class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now), 53 (resources).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53...)$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres and its pool report a lost or unobtainable connection only in the message.
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|not queryable/i;
// TypeORM's answer to the next query of a transaction whose connection was lost under it (older
// versions' words, and 1.x's QueryRunnerProviderAlreadyReleasedError).
const TYPEORM_CONNECTION_LOST = /Query runner already released|connection provided by a query runner was already released/i;
// gRPC status codes of a broker that is down or too slow: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE.
const GRPC_UNAVAILABLE = new Set([4, 8, 14]);
// RocketMQ status codes: 429xx too many requests, 5xxxx server side (proxy timeout, internal error).
const isRocketMQServerSide = (code: number) => (code >= 42900 && code < 43000) || (code >= 50000 && code < 60000);
// The transport's own words when it cannot reach the broker at all.
const BROKER_UNREACHABLE_MESSAGES = /RocketMQ .* could not start|no answer from|No connection established|Request timeout|failed to connect/i;

/**
 * Why `error` means "a dependency (Postgres, the broker) is unavailable, or a deadline passed" — a
 * condition worth retrying later, answered 503 — or undefined for anything else. Follows `cause` and
 * TypeORM's `driverError`, where the underlying error hides.
 */
export function unavailabilityOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  if (error instanceof DeadlineMissedError || error instanceof OverloadedError) return error.message;
  const { code, grpcCode, message, driverError, cause } = error as { code?: unknown; grpcCode?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || NETWORK_CODES.has(code))) return `database or network unavailable: ${text || code}`;
  if (typeof code === 'number' && ('details' in error ? GRPC_UNAVAILABLE.has(code) : isRocketMQServerSide(code))) return `broker unavailable: ${text || code}`;
  // The transport's own gRPC channel (GrpcCallError) carries the status as `grpcCode`.
  if (typeof grpcCode === 'number' && GRPC_UNAVAILABLE.has(grpcCode)) return `broker unavailable: ${text || grpcCode}`;
  if (PG_CONNECTION_MESSAGES.test(text) || TYPEORM_CONNECTION_LOST.test(text)) return `database unavailable: ${text}`;
  if (BROKER_UNREACHABLE_MESSAGES.test(text)) return `broker unavailable: ${text}`;
  return unavailabilityOf(driverError, depth + 1) ?? unavailabilityOf(cause, depth + 1);
}
