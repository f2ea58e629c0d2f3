export { NAME_PATTERN, assertValidName, type NameKind } from './names';
export {
  DEFAULT_QUEUES,
  InvalidEventError,
  defineEvent,
  parseEvent,
  type EventContract,
  type EventPayload,
  type MessageType,
} from './define-event';
export { INT4_MAX, storedCount, text } from './fields';
export * from './users';
export * from './orders';
export * from './inventory';
export * from './pricing';
export * from './consumer-groups';
export * from './catalog';
