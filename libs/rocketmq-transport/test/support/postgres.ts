import { ensureSchema, startEmbeddedPostgres, typeOrmOptions } from '@rocketmq-shop/postgres';
import { CreateProcessedMessages1795000000000, ProcessedMessage } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';

export interface PostgresHandle {
  readonly url: string;
  readonly schema: string;
  readonly dataSource: DataSource;
}

/**
 * A real embedded Postgres per spec file, with a schema holding the transport's `processed_messages`
 * (its migration) and whatever tables `setupSql` creates.
 */
export function usePostgres(schema: string, setupSql: string[] = []): PostgresHandle {
  let database: { url: string; stop(): Promise<void> } | undefined;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    database = await startEmbeddedPostgres();
    await ensureSchema(database.url, schema);
    dataSource = new DataSource(typeOrmOptions({ url: database.url, schema, entities: [ProcessedMessage], migrations: [CreateProcessedMessages1795000000000], poolSize: 4 }));
    await dataSource.initialize();
    for (const sql of setupSql) await dataSource.query(sql);
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('Postgres starts in beforeAll; use it inside hooks and tests only');
    return value;
  };
  return {
    get url() {
      return started(database).url;
    },
    schema,
    get dataSource() {
      return started(dataSource);
    },
  };
}
