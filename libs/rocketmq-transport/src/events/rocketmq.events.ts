export enum RocketMQStatus {
  CONNECTING = 'connecting',
  CONNECTED = 'connected',
  DISCONNECTED = 'disconnected',
}

export enum RocketMQEventsMap {
  ERROR = 'error',
  /** A message went to the dead-letter queue: (topic, group, messageId, reason, error). */
  DEAD_LETTER = 'dead-letter',
}

/** A dead-lettered message: `reason` names the error (name, message, causes); `error` is what the handler threw. */
export interface RocketMQDeadLetterEvent {
  topic: string;
  group: string;
  messageId: string;
  reason: string;
  error: unknown;
}

export type RocketMQEvents = {
  error: (error: Error) => void;
  'dead-letter': (event: RocketMQDeadLetterEvent) => void;
};
