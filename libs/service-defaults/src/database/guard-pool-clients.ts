import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

interface PgClientLike {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

interface PgPoolLike {
  on(event: 'connect', listener: (client: PgClientLike) => void): unknown;
  _clients?: PgClientLike[];
}

const logger = new Logger('PostgresPool');

/**
 * A Postgres restart sends FATAL 57P01 to every connection. node-postgres emits it as an 'error'
 * event, and one with no listener ends the process. The pool and TypeORM listen while they hold a
 * client, but not in every window (seen: order exiting in the restart e2e), so every client of the
 * service's pool gets a listener of its own for its whole life; the pool still drops broken clients
 * and the request that used one gets a 503 (ADR 0012).
 */
export function guardPoolClients(dataSource: DataSource): DataSource {
  const pool = (dataSource.driver as unknown as { master?: PgPoolLike }).master;
  if (!pool) return dataSource;
  const guard = (client: PgClientLike) => client.on('error', (error) => logger.debug(`connection lost: ${error.message}`));
  for (const client of pool._clients ?? []) guard(client);
  pool.on('connect', guard);
  return dataSource;
}
