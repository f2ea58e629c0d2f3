import { Logger, type LoggerService } from '@nestjs/common';
import { type DataSource, In, IsNull } from 'typeorm';
import type { ClientRocketMQ } from '../client/client-rocketmq';
import { describe } from '../errors';
import { OutboxMessage } from './outbox-message.entity';
import { outboxChannel } from './outbox';

interface ListenConnection {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
  on(event: 'notification', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  removeAllListeners(event: 'notification' | 'error'): void;
}

/** Reconnect delays of the LISTEN connection after Postgres went away: doubling up to the last. */
const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 5_000;

export interface OutboxRelayOptions {
  /** Rows read per round. */
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (and retry interval after a failed publish), ms. */
  pollIntervalMs?: number;
  logger?: LoggerService;
}

/**
 * Publishes outbox rows in order. One relay per schema is active at a time (a Postgres advisory lock
 * held by its LISTEN connection; when that process dies, another instance takes over), so rows of one
 * message group are never published out of order. Message groups are published concurrently.
 * A row is published at least once: a crash between publish and marking it republishes it.
 */
export class OutboxRelay {
  private readonly logger: LoggerService;
  private connection: { client: ListenConnection; release: (error?: Error) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnecting = false;
  private active = false;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: ClientRocketMQ,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(OutboxRelay.name);
  }

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1000);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    await this.draining;
    if (this.connection) {
      this.connection.client.removeAllListeners('notification');
      this.connection.client.removeAllListeners('error');
      // Releasing the connection to the pool would keep the advisory lock; unlock first.
      await this.connection.client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      this.connection.release();
      this.connection = undefined;
    }
  }

  /**
   * A connection held out of the pool has no 'error' listener of the pool's: without one, Postgres
   * restarting (57P01) would be an uncaught exception that ends the process. Losing it also loses the
   * advisory lock, so the relay stands down until it has reconnected and won the lock again.
   */
  private async listen(): Promise<void> {
    const schema = (this.dataSource.options as { schema?: string }).schema;
    const [client, release] = await (this.dataSource.driver as unknown as { obtainMasterConnection(): Promise<[ListenConnection, (error?: Error) => void]> }).obtainMasterConnection();
    this.connection = { client, release };
    client.on('error', (error) => this.connectionLost(client, error));
    client.on('notification', () => this.wake());
    await client.query(`LISTEN ${outboxChannel(schema)}`);
    this.reconnectDelayMs = RECONNECT_MIN_MS;
  }

  private connectionLost(client: ListenConnection, error: Error): void {
    if (this.connection?.client !== client) return;
    this.logger.warn(`outbox relay lost its LISTEN connection (${describe(error)}); reconnecting in ${this.reconnectDelayMs} ms`);
    client.removeAllListeners('notification');
    // Released with the error, the pool discards the broken connection instead of reusing it.
    this.connection.release(error);
    this.connection = undefined;
    this.active = false;
    // A connection lost while a reconnect attempt is running is that attempt's failure to handle.
    if (!this.reconnecting) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnecting = true;
    this.reconnectTimer = setTimeout(() => {
      this.listen().then(
        () => {
          this.reconnecting = false;
          this.logger.log('outbox relay reconnected its LISTEN connection');
          this.wake();
        },
        (error: unknown) => {
          const lost = this.connection;
          this.connection = undefined;
          lost?.release(error instanceof Error ? error : new Error(String(error)));
          this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
          this.logger.warn(`outbox relay could not reconnect (${describe(error)}); next try in ${this.reconnectDelayMs} ms`);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
  }

  /** Publishes what is pending now; coalesces wake-ups that arrive meanwhile into one more round. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      if (!(await this.holdLock())) return;
      const batchSize = this.options.batchSize ?? 100;
      for (;;) {
        const rows = await this.dataSource.getRepository(OutboxMessage).find({ where: { publishedAt: IsNull() }, order: { id: 'ASC' }, take: batchSize });
        const sequences = new Map<string, OutboxMessage[]>();
        for (const row of rows) {
          const key = row.messageGroup ?? `row-${row.id}`;
          const sequence = sequences.get(key);
          if (sequence) sequence.push(row);
          else sequences.set(key, [row]);
        }
        const results = await Promise.all([...sequences.values()].map((sequence) => this.publishInOrder(sequence)));
        // One UPDATE per round, not one per row: a crash before it republishes the round (at least once, as before).
        const published = results.flatMap((result) => result.published);
        if (published.length > 0) await this.dataSource.getRepository(OutboxMessage).update({ id: In(published) }, { publishedAt: new Date() });
        if (rows.length < batchSize || results.some((result) => !result.complete) || this.stopped) return;
      }
    } catch (error) {
      this.logger.warn(`outbox relay round failed: ${describe(error)}`);
    }
  }

  private async holdLock(): Promise<boolean> {
    if (this.active) return true;
    if (!this.connection) return false;
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    const result = await this.connection?.client.query(`SELECT pg_try_advisory_lock(hashtext('outbox:${schema}')) AS locked`);
    this.active = result?.rows[0]?.locked === true;
    if (this.active) this.logger.log(`outbox relay for schema ${schema} is active`);
    return this.active;
  }

  /** Stops at the first failure: later rows of the same message group must wait for it. Answers the ids published. */
  private async publishInOrder(sequence: OutboxMessage[]): Promise<{ published: string[]; complete: boolean }> {
    const repository = this.dataSource.getRepository(OutboxMessage);
    const published: string[] = [];
    for (const row of sequence) {
      try {
        await this.client.publishMessage(row.topic, row.payload, {
          tag: row.tag ?? undefined,
          keys: row.keys,
          messageGroup: row.messageGroup ?? undefined,
          properties: row.properties,
        });
        published.push(row.id);
      } catch (error) {
        await repository.update({ id: row.id }, { attempts: row.attempts + 1, lastError: describe(error) }).catch(() => undefined);
        this.logger.warn(`outbox row ${row.id} for ${row.topic} not published (${describe(error)}); retrying`);
        return { published, complete: false };
      }
    }
    return { published, complete: true };
  }
}
