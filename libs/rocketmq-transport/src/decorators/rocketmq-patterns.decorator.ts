import { SetMetadata } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { RocketMQHandlerOptions } from '../consumer/handler-options';

/**
 * `@EventPattern(topic)` with this handler's own subscription options:
 * `@RocketMQEventPattern('user-registered', { group: 'notification-email', tag: 'REGISTERED' })`.
 */
export const RocketMQEventPattern = (topic: string, options: Partial<RocketMQHandlerOptions> = {}): MethodDecorator =>
  EventPattern(topic, options as Record<string, unknown>);

/** `@MessagePattern(topic)` for request/response over a reply topic (see ClientRocketMQ.send). */
export const RocketMQMessagePattern = (topic: string, options: Partial<RocketMQHandlerOptions> = {}): MethodDecorator =>
  MessagePattern(topic, options as Record<string, unknown>);

export const ROCKETMQ_TRANSACTION_CHECK = 'rocketmq:transaction-check';

/**
 * Marks a provider method `(message: MessageView) => Promise<'commit' | 'rollback' | 'unknown'>`
 * that answers the broker's check-back for half messages of `topic` from the service's database.
 */
export const RocketMQTransactionChecker = (topic: string): MethodDecorator => SetMetadata(ROCKETMQ_TRANSACTION_CHECK, topic);
