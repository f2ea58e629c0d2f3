import { HttpException } from '@nestjs/common';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import { RocketMQNonRetriableError, failureReason } from '../errors';

/**
 * What happens to a message whose handler failed: `retry` after the backoff (dead-lettered once
 * `maxAttempts` are spent), `dead-letter` at once, or `discard` (acknowledged, logged, gone).
 */
export type RocketMQErrorAction = 'retry' | 'dead-letter' | 'discard';

/**
 * A handler's `errorPolicy`: a fixed action, or a function of the original error (what the handler
 * or a pipe threw) that answers an action, or undefined to leave the error to the default policy.
 */
export type RocketMQErrorPolicy = RocketMQErrorAction | ((error: unknown, message: RocketMQMessage) => RocketMQErrorAction | undefined);

/** Client errors a later attempt may pass: the request timed out, or the caller was throttled. */
const TRANSIENT_CLIENT_STATUSES = new Set([408, 429]);

/**
 * The default policy: input no retry can fix is dead-lettered at once — `RocketMQNonRetriableError`,
 * and Nest's HTTP 4xx exceptions (a validation pipe's BadRequestException, NotFoundException, …)
 * except 408 and 429; everything else is retried.
 */
export function defaultErrorAction(error: unknown): RocketMQErrorAction {
  if (RocketMQNonRetriableError.matches(error)) return 'dead-letter';
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status >= 400 && status < 500 && !TRANSIENT_CLIENT_STATUSES.has(status)) return 'dead-letter';
  }
  return 'retry';
}

/**
 * What a failed delivery leads to under the handler's policy and attempt budget, with the reason the
 * logs and the `dead-letter` event give.
 */
export function decideFailure(
  options: { errorPolicy?: RocketMQErrorPolicy; maxAttempts: number },
  error: unknown,
  message: RocketMQMessage,
): { action: RocketMQErrorAction; reason: string } {
  const reason = failureReason(error);
  const policy = options.errorPolicy;
  const action = typeof policy === 'string' ? policy : (policy?.(error, message) ?? defaultErrorAction(error));
  if (action === 'dead-letter') return { action, reason: `not retriable: ${reason}` };
  if (action === 'retry' && message.deliveryAttempt >= options.maxAttempts) return { action: 'dead-letter', reason: `failed ${message.deliveryAttempt} times, last: ${reason}` };
  return { action, reason };
}

const ACTIONS: readonly string[] = ['retry', 'dead-letter', 'discard'] satisfies RocketMQErrorAction[];

/** Validates a handler's `errorPolicy` at start, so a typo fails the start rather than the first failure. */
export function assertErrorPolicy(policy: unknown, where: string): void {
  if (policy === undefined || typeof policy === 'function' || ACTIONS.includes(policy as string)) return;
  throw new Error(`${where}: errorPolicy must be ${ACTIONS.join(', ')} or a function, not ${JSON.stringify(policy)}`);
}
