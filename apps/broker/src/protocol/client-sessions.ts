import type { Logger } from 'pino';
import type { StagedMessage } from '../messaging/staging';
import type { ServerCall } from './grpc/server-call';
import { encodeHalfMessage } from './message-codec';
import type { Settings, TelemetryCommand } from './wire';

export type TelemetryStream = ServerCall<TelemetryCommand>;

interface ClientSession {
  clientId: string;
  settings?: Settings;
  streams: Set<TelemetryStream>;
  lastSeen: number;
}

/**
 * What the broker knows of each connected client (by x-mq-client-id): its last settings and its
 * open Telemetry streams, which carry server-to-client commands such as transaction check-backs.
 * At most `maxSessions` are kept: a new client id beyond that makes the broker forget the session
 * seen least recently among those without a stream (a flood of made-up ids costs no memory).
 */
export class ClientSessions {
  /** In order of last sight, oldest first (touch moves a session to the end). */
  private readonly sessions = new Map<string, ClientSession>();
  private nextProducer = 0;

  constructor(private readonly maxSessions = Infinity) {}

  touch(clientId: string): ClientSession {
    let session = this.sessions.get(clientId);
    if (session) this.sessions.delete(clientId);
    else {
      session = { clientId, streams: new Set(), lastSeen: 0 };
      if (this.sessions.size >= this.maxSessions) this.evictIdle();
    }
    this.sessions.set(clientId, session);
    session.lastSeen = Date.now();
    return session;
  }

  attach(clientId: string, stream: TelemetryStream): void {
    this.touch(clientId).streams.add(stream);
  }

  /** Returns true when that was the client's last stream: the client is gone. */
  detach(clientId: string, stream: TelemetryStream): boolean {
    const session = this.sessions.get(clientId);
    if (!session) return false;
    session.streams.delete(stream);
    if (session.streams.size > 0) return false;
    this.sessions.delete(clientId);
    return true;
  }

  remove(clientId: string): void {
    this.sessions.delete(clientId);
  }

  /** A live stream of a producer that declared `topic`, rotating among producers to spread check-backs. */
  producerStreamFor(topic: string): TelemetryStream | undefined {
    const candidates: TelemetryStream[] = [];
    for (const session of this.sessions.values()) {
      const publishes = session.settings?.publishing?.topics?.some((t) => t.name === topic);
      if (publishes) for (const stream of session.streams) if (!stream.closed) candidates.push(stream);
    }
    if (candidates.length === 0) return undefined;
    this.nextProducer = (this.nextProducer + 1) % candidates.length;
    return candidates[this.nextProducer];
  }

  /** Sends a transaction check-back for a half message to a producer of its topic; false when none is connected. */
  checkTransaction(message: StagedMessage, logger: Logger): boolean {
    const stream = this.producerStreamFor(message.topic);
    if (!stream) {
      logger.warn({ topic: message.topic, transactionId: message.transactionId }, 'no producer connected to resolve a half message');
      return false;
    }
    stream.write({ recoverOrphanedTransactionCommand: { message: encodeHalfMessage(message), transactionId: message.transactionId as string } });
    return true;
  }

  /** Clients seen only through unary calls, silent for `maxIdleMs` (Java: 120 s without heartbeat), are gone. */
  expireIdle(maxIdleMs: number, now = Date.now()): void {
    for (const [clientId, session] of this.sessions) {
      if (session.streams.size === 0 && now - session.lastSeen > maxIdleMs) this.sessions.delete(clientId);
    }
  }

  /** Sessions with a stream are live connections (bounded by them) and are never forgotten here. */
  private evictIdle(): void {
    for (const [clientId, session] of this.sessions) {
      if (session.streams.size > 0) continue;
      this.sessions.delete(clientId);
      return;
    }
  }

  endAll(): void {
    for (const session of this.sessions.values()) for (const stream of session.streams) stream.end();
    this.sessions.clear();
  }

  list(): { clientId: string; clientType?: string; group?: string; topics?: string[]; streams: number; lastSeen: number }[] {
    return [...this.sessions.values()].map((s) => ({
      clientId: s.clientId,
      clientType: s.settings?.clientType,
      group: s.settings?.subscription?.group?.name,
      topics: s.settings?.publishing?.topics?.map((t) => t.name ?? '') ?? s.settings?.subscription?.subscriptions?.map((e) => e.topic?.name ?? ''),
      streams: s.streams.size,
      lastSeen: s.lastSeen,
    }));
  }
}
