/** `GET /api/dashboard`: the broker's `GET /stats` (apps/broker/src/admin/stats.ts); counters are cumulative. */
export interface BrokerStats {
  at: number;
  topics: TopicStats[];
  groups: GroupStats[];
}

export interface TopicStats {
  name: string;
  type: TopicType;
  queues: number;
  messages: number;
  /** Messages accepted since the broker started. */
  in: number;
  /** Deliveries to every group since the broker started (redeliveries included). */
  out: number;
}

export interface GroupStats {
  name: string;
  fifo: boolean;
  maxAttempts: number;
  /** Copies in %DLQ%<group> not handed back yet. */
  deadLetters: number;
  topics: GroupTopicStats[];
}

export interface GroupTopicStats {
  topic: string;
  backlog: number;
  inflight: number;
  retrying: number;
  acked: number;
  out: number;
  acks: number;
  deadLettered: number;
}

export const TOPIC_TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'] as const;
export type TopicType = (typeof TOPIC_TYPES)[number];
