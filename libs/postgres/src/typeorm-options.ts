import type { DataSourceOptions } from 'typeorm';
import { assertIdentifier } from './identifiers';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own schema; create it first with ensureSchema(). */
  schema: string;
  entities: NonNullable<PostgresDataSourceOptions['entities']>;
  migrations?: NonNullable<PostgresDataSourceOptions['migrations']>;
  /** Apply pending migrations when the DataSource initializes. Default true. */
  migrationsRun?: boolean;
  /** Connections per service instance. Default 10: five services and their replicas stay far below
   * Postgres's default max_connections of 100. */
  poolSize?: number;
  /** Shown in pg_stat_activity, which tells whose connections they are. */
  applicationName?: string;
}

/**
 * TypeORM options for one service's schema. The schema is the connection's whole search_path, so
 * unqualified names in migrations and raw queries land in (and only see) the service's own schema.
 *
 * UUIDs: TypeORM's default generator, uuid_generate_v4(), needs the `uuid-ossp` extension, which needs
 * privileges and lives in whichever schema created it first — invisible to the other services' search
 * paths. `uuidExtension: 'pgcrypto'` makes TypeORM use gen_random_uuid(), built into Postgres since 13,
 * so extensions are not installed at all. Use gen_random_uuid() in hand-written migrations too.
 */
export function typeOrmOptions(options: ServiceDataSourceOptions): PostgresDataSourceOptions {
  const schema = assertIdentifier('schema', options.schema);
  return {
    type: 'postgres',
    url: options.url,
    schema,
    entities: options.entities,
    migrations: options.migrations ?? [],
    migrationsRun: options.migrationsRun ?? true,
    // Schema changes happen only through reviewed migrations, never by diffing entities at start-up.
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName,
    // A pool that cannot hand out a connection within 5 s fails the request (answered 503) instead of queueing it forever.
    extra: { options: `-c search_path=${schema}`, connectionTimeoutMillis: 5_000 },
  };
}
