export { ProcessedMessage } from './processed-message.entity';
export { CreateProcessedMessages1795000000000, consumeOnce } from './consume-once';
