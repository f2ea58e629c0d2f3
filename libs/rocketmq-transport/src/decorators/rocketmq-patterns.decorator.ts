import { SetMetadata, UseFilters, applyDecorators } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { RocketMQHandlerOptions } from '../consumer/handler-options';
import { RocketMQOriginalErrorFilter } from '../server/original-error';

/** One instance serves every handler: it keeps no state of its own. */
const originalError = new RocketMQOriginalErrorFilter();

/**
 * `@EventPattern(topic)` with this handler's own subscription options:
 * `@RocketMQEventPattern('user-registered', { group: 'notification-email', tag: 'REGISTERED' })`.
 * The handler's original errors reach the error policy, the logs and the `dead-letter` event
 * (a plain `@EventPattern` only passes on what Nest's exception filter leaves of them).
 */
export const RocketMQEventPattern = (topic: string, options: Partial<RocketMQHandlerOptions> = {}): MethodDecorator =>
  applyDecorators(EventPattern(topic, options as Record<string, unknown>), UseFilters(originalError));

/** `@MessagePattern(topic)` for request/response over a reply topic (see ClientRocketMQ.send). */
export const RocketMQMessagePattern = (topic: string, options: Partial<RocketMQHandlerOptions> = {}): MethodDecorator =>
  applyDecorators(MessagePattern(topic, options as Record<string, unknown>), UseFilters(originalError));

export const ROCKETMQ_TRANSACTION_CHECK = 'rocketmq:transaction-check';

/**
 * Marks a provider method `(message: MessageView) => Promise<'commit' | 'rollback' | 'unknown'>`
 * that answers the broker's check-back for half messages of `topic` from the service's database.
 */
export const RocketMQTransactionChecker = (topic: string): MethodDecorator => SetMetadata(ROCKETMQ_TRANSACTION_CHECK, topic);
