/** `GET /api/transactions`: half messages waiting for their producer's commit or rollback. */
export interface HalfMessage {
  transactionId: string;
  messageId: string;
  topic: string;
  checks: number;
  ageMs: number;
}

/** `GET /api/clients`: clients with a session on the broker. */
export interface ClientSession {
  clientId: string;
  clientType?: string;
  group?: string;
  topics?: string[];
  streams: number;
  lastSeen: number;
}
