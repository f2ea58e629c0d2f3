import type { ClientException } from 'rocketmq-client-nodejs';
import { expect } from 'vitest';

type ExceptionClass<T> = abstract new (...args: never[]) => T;

/** The first error of `type` in the `cause` chain (the client wraps startup errors twice). */
function findCause<T>(error: unknown, type: ExceptionClass<T>): T | undefined {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (current instanceof type) return current;
  }
  return undefined;
}

function describeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    parts.push(current instanceof Error ? `${current.constructor.name}: ${current.message}` : String(current));
  }
  return parts.join(' <- ');
}

/**
 * Awaits `action`, expects it to reject with an exception of `type` somewhere in the cause chain and,
 * when given, with the broker's status `code` (which proves the broker, not the client, refused).
 */
export async function expectClientException<T extends ClientException>(
  action: Promise<unknown>,
  type: ExceptionClass<T>,
  code?: number,
): Promise<T> {
  const outcome = await action.then(
    (value) => ({ rejected: false as const, value }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) throw new Error(`expected ${type.name}, but the call succeeded with ${String(outcome.value)}`);
  const exception = findCause(outcome.error, type);
  if (!exception) throw new Error(`expected ${type.name}, got ${describeChain(outcome.error)}`);
  if (code !== undefined) expect(exception.code, describeChain(outcome.error)).toBe(code);
  return exception;
}
