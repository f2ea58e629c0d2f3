import { type EventContract, type EventPayload, InvalidEventError, parseEvent } from '@rocketmq-shop/contracts';
import { RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';

/** A body that breaks its contract will never pass on retry: dead-letter it at once. */
export function parseMessage<Contract extends EventContract>(contract: Contract, data: unknown): EventPayload<Contract> {
  try {
    return parseEvent(contract, data) as EventPayload<Contract>;
  } catch (error) {
    if (error instanceof InvalidEventError) throw new RocketMQNonRetriableError(error.message, { cause: error });
    throw error;
  }
}
