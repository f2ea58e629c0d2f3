/** A message as the broker's admin API shows it (system fields, properties, body as text). */
export interface MessageView {
  messageId: string;
  topic: string;
  type: string;
  tag?: string;
  keys: string[];
  messageGroup?: string;
  deliverAt?: number;
  properties: Record<string, string>;
  bornAt: number;
  bornHost: string;
  storedAt: number;
  queueId: number;
  offset: number;
  transactionId?: string;
  bodySize: number;
  bodyText: string;
  deadLetterOf?: { topic: string; messageId: string };
}

export type TrailEvent = 'delivered' | 'acked' | 'dead-lettered' | 'replayed';

/** `GET /api/messages/:id`: the broker's `GET /messages/:id/trail`. */
export interface MessageHistory {
  message: MessageView;
  sentAt: number;
  storedAt: number;
  traceId?: string;
  groups: {
    group: string;
    state: 'acked' | 'dead-lettered' | 'done' | 'in flight' | 'retrying' | 'waiting' | 'not delivered yet';
    attempts: number;
    events: { event: TrailEvent; attempt: number; at: number; reason?: string }[];
  }[];
}
