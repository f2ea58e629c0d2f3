import pg from 'pg';
import { startEmbeddedPostgres, type DatabaseHandle } from './embedded-postgres';
import { assertIdentifier } from './identifiers';

// Postgres error codes for "already exists": a concurrent creator won the race, which is fine.
const DUPLICATE_DATABASE = '42P04';
const DUPLICATE_SCHEMA = '42P06';
const UNIQUE_VIOLATION = '23505'; // CREATE SCHEMA IF NOT EXISTS racing on the catalog's unique index

/**
 * `DATABASE_URL` when set (compose, CI machines with a Postgres); otherwise a fresh embedded Postgres.
 * stop() is a no-op for an external database: it is not ours to stop.
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseHandle> {
  const url = env.DATABASE_URL;
  if (url) return { url, stop: async () => undefined };
  return startEmbeddedPostgres();
}

/** Creates database `name` on the server of `url` unless it exists, and returns the URL pointing at it. */
export async function ensureDatabase(url: string, name: string): Promise<string> {
  assertIdentifier('database', name);
  await withClient(url, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await ignoreCodes(client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`), DUPLICATE_DATABASE);
  });
  return withDatabase(url, name);
}

/** Creates `schema` unless it exists. Each service owns one schema and never touches another's tables. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  assertIdentifier('schema', schema);
  await withClient(url, (client) =>
    ignoreCodes(client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`), DUPLICATE_SCHEMA, UNIQUE_VIOLATION),
  );
}

/** `url` with its database replaced by `name`, keeping credentials and query parameters. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ignoreCodes(query: Promise<unknown>, ...codes: string[]): Promise<void> {
  try {
    await query;
  } catch (error) {
    if (!codes.includes((error as { code?: string }).code ?? '')) throw error;
  }
}
