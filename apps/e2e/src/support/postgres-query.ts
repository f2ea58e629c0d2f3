import pg from 'pg';

/** One query against the stack's Postgres, read straight from the services' schemas (tests only). */
export async function queryRows<Row extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
