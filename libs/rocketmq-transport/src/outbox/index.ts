export { OutboxMessage } from './outbox-message.entity';
export { CreateOutboxMessages1795000000001, enqueueOutbox } from './outbox';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
