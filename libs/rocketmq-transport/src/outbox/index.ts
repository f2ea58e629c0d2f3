export { OutboxMessage } from './outbox-message.entity';
export {
  CreateOutboxMessages1795000000001,
  OUTBOX_COLUMNS,
  type OutboxEntry,
  type OutboxOptions,
  type OutboxRowsSelect,
  enqueueOutbox,
  enqueueOutboxAll,
  outboxChannel,
  outboxRowsSelect,
} from './outbox';
export { OutboxModule } from './outbox.module';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
