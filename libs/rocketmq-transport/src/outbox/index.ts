export { OutboxMessage } from './outbox-message.entity';
export { CreateOutboxMessages1795000000001, type OutboxEntry, type OutboxOptions, enqueueOutbox, enqueueOutboxAll } from './outbox';
export { OutboxModule } from './outbox.module';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
