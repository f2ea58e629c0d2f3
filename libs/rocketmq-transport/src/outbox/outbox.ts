import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { RocketMQRecordOptions } from '../record-builders/rocketmq.record-builder';
import { OutboxMessage } from './outbox-message.entity';

export type OutboxOptions = Omit<RocketMQRecordOptions, 'delayMs' | 'deliverAt'>;

/** One message for the outbox: what enqueueOutbox takes, as a value. */
export interface OutboxEntry {
  topic: string;
  payload: unknown;
  options?: OutboxOptions;
}

/**
 * Records `payload` for publication to `topic`, inside the caller's transaction: it is published if
 * and only if that transaction commits, and rows of one message group keep their order. Wakes the
 * relay through NOTIFY, which Postgres delivers on commit.
 */
export async function enqueueOutbox(manager: EntityManager, topic: string, payload: unknown, options: OutboxOptions = {}): Promise<void> {
  await enqueueOutboxAll(manager, [{ topic, payload, options }]);
}

/** enqueueOutbox for many messages in one INSERT (and one NOTIFY); they keep the array's order. */
export async function enqueueOutboxAll(manager: EntityManager, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await manager.insert(OutboxMessage, entries.map(outboxRow));
  await manager.query(`NOTIFY ${outboxChannel(schemaOf(manager))}`);
}

/** A statement's outbox rows, passed as parameter arrays (see outboxRowsSelect). */
export interface OutboxRowsSelect {
  /** A FROM item: the rows of `entries` with the outbox's columns (OUTBOX_COLUMNS) and `position`, 1-based. */
  from: string;
  params: unknown[];
}

/** The outbox columns a statement writes; the rest take their defaults. */
export const OUTBOX_COLUMNS = 'topic, tag, keys, message_group, properties, payload';

/**
 * enqueueOutbox for a statement that writes its change and its outbox rows at once (a data-modifying
 * CTE, one round trip): `INSERT INTO outbox_messages (OUTBOX_COLUMNS) SELECT … FROM <from>`, filtered
 * on what the statement changed by `position`. Parameters are numbered from `$firstParam`; the text does
 * not grow with the rows. The statement wakes the relay itself: `pg_notify(<outboxChannel>, '')`.
 */
export function outboxRowsSelect(entries: readonly OutboxEntry[], firstParam: number): OutboxRowsSelect {
  const rows = entries.map(outboxRow);
  const $ = (i: number) => `$${firstParam + i}`;
  return {
    from: `unnest(${$(0)}::varchar[], ${$(1)}::varchar[], ${$(2)}::jsonb[], ${$(3)}::varchar[], ${$(4)}::jsonb[], ${$(5)}::jsonb[]) WITH ORDINALITY AS outbox(${OUTBOX_COLUMNS}, position)`,
    params: [
      rows.map((row) => row.topic),
      rows.map((row) => row.tag),
      rows.map((row) => JSON.stringify(row.keys)),
      rows.map((row) => row.messageGroup),
      rows.map((row) => JSON.stringify(row.properties)),
      rows.map((row) => JSON.stringify(row.payload)),
    ],
  };
}

function outboxRow({ topic, payload, options = {} }: OutboxEntry) {
  return {
    topic,
    payload: payload as object,
    tag: options.tag ?? null,
    keys: options.keys ?? [],
    messageGroup: options.messageGroup ?? null,
    properties: options.properties ?? {},
  };
}

export function outboxChannel(schema: string | undefined): string {
  return `outbox_${(schema ?? 'public').replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export function schemaOf(manager: EntityManager): string | undefined {
  return (manager.connection.options as { schema?: string }).schema;
}

/** Migration creating `outbox_messages` in the service's schema; add it to the service's migrations. */
export class CreateOutboxMessages1795000000001 implements MigrationInterface {
  name = 'CreateOutboxMessages1795000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    const table = schema ? `"${schema}"."outbox_messages"` : '"outbox_messages"';
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS ${table} (
      id bigserial PRIMARY KEY,
      topic varchar(64) NOT NULL,
      tag varchar(128),
      keys jsonb NOT NULL DEFAULT '[]',
      message_group varchar(64),
      properties jsonb NOT NULL DEFAULT '{}',
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      last_error text)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS outbox_messages_unpublished ON ${table} (id) WHERE published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as { schema?: string }).schema;
    await queryRunner.query(`DROP TABLE IF EXISTS ${schema ? `"${schema}".` : ''}"outbox_messages"`);
  }
}
