import { type DatabaseHandle, ensureSchema, resolveDatabase, typeOrmOptions } from '@rocketmq-shop/postgres';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { ORDER_SCHEMA } from '../../src/database';

/**
 * The order schema on Postgres (DATABASE_URL, or an embedded one) for the file's tests, migrated and
 * torn down with it. Returns the data source, usable inside the tests.
 */
export function useOrderDatabase(): () => DataSource {
  let database: DatabaseHandle | undefined;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    database = await resolveDatabase();
    await ensureSchema(database.url, ORDER_SCHEMA.schema);
    dataSource = await new DataSource(typeOrmOptions({ ...ORDER_SCHEMA, url: database.url, poolSize: 4 })).initialize();
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.stop();
  });
  return () => {
    if (!dataSource) throw new Error('the order database is ready only inside tests');
    return dataSource;
  };
}
