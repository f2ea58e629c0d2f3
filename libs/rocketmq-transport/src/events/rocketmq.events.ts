export enum RocketMQStatus {
  CONNECTING = 'connecting',
  CONNECTED = 'connected',
  DISCONNECTED = 'disconnected',
}

export enum RocketMQEventsMap {
  ERROR = 'error',
  /** A message went to the dead-letter queue: (topic, group, messageId, reason). */
  DEAD_LETTER = 'dead-letter',
}

export type RocketMQEvents = {
  error: (error: Error) => void;
  'dead-letter': (event: { topic: string; group: string; messageId: string; reason: string }) => void;
};
