export { startEmbeddedPostgres, type DatabaseHandle, type EmbeddedPostgresOptions } from './embedded-postgres';
export { ensureDatabase, ensureSchema, resolveDatabase, withDatabase } from './database';
export { typeOrmOptions, type PostgresDataSourceOptions, type ServiceDataSourceOptions } from './typeorm-options';
export { findFreePort, isPortFree } from './free-port';
