import { RpcException } from '@nestjs/microservices';

/** How a non-retriable failure looks after Nest's RPC exception filter has turned it into an error object. */
export interface NonRetriableErrorObject {
  status: 'error';
  message: string;
  retriable: false;
}

/**
 * Thrown by a handler for input that no retry can fix (a payload that fails validation, a business
 * rule that will never pass): the message goes to the dead-letter queue at once. It is an
 * RpcException so that the marker survives Nest's exception filter.
 */
export class RocketMQNonRetriableError extends RpcException {
  constructor(message: string, options?: { cause?: unknown }) {
    super({ status: 'error', message, retriable: false } satisfies NonRetriableErrorObject);
    this.name = 'RocketMQNonRetriableError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }

  static matches(error: unknown): boolean {
    return error instanceof RocketMQNonRetriableError || (typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false);
  }
}

/** `send()` got no reply in time. */
export class RocketMQReplyTimeoutError extends Error {
  constructor(topic: string, correlationId: string, timeoutMs: number) {
    super(`no reply to ${topic} request ${correlationId} within ${timeoutMs} ms`);
    this.name = 'RocketMQReplyTimeoutError';
  }
}

/** A readable reason from an Error, a cause chain, or the plain objects Nest's RPC exception filter throws. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
    return message !== undefined ? String(message) : String(error);
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/**
 * Why a handler failed, for logs and the `dead-letter` event: the error's name and message, what an
 * HTTP exception answered (a validation pipe's messages), and each cause in turn.
 */
export function failureReason(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(oneReason(current));
    current = current instanceof Error ? (current as { cause?: unknown }).cause : undefined;
  }
  return parts.join(', caused by ');
}

function oneReason(error: unknown): string {
  if (!(error instanceof Error)) return describe(error);
  const details = responseMessageOf(error);
  const message = details && details !== error.message ? `${error.message} (${details})` : error.message;
  return error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message;
}

/** An HttpException's response message (`getResponse().message`), e.g. the validation errors of a pipe. */
function responseMessageOf(error: Error): string | undefined {
  const getResponse = (error as { getResponse?: unknown }).getResponse;
  if (typeof getResponse !== 'function') return undefined;
  const response: unknown = getResponse.call(error);
  const message = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : undefined;
}
