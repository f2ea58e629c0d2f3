import { Coalescer } from '@rocketmq-shop/rocketmq-transport';
import { OUTBOX_COLUMNS, outboxChannel, outboxRowsSelect } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DeadlineMissedError } from '@rocketmq-shop/service-defaults';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { User } from './user.entity';
import { lifecycleOutboxEntry } from './user-lifecycle';

export type NewUser = Pick<User, 'id' | 'email' | 'phone' | 'name'>;

interface Waiting {
  user: NewUser;
  /** Epoch ms after which this registration's row must not commit (the checker's window, ADR 0026). */
  deadline: number;
  settle: (created: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Two statements in flight, each of at most 500 rows: a registration that arrives while one runs
 * leaves at once on the second connection instead of waiting for the first's commit; while both are
 * out, arrivals gather for the next (a batch's answers wait for its slowest row).
 */
const BATCHING = { maxItems: 500, maxBytes: Number.POSITIVE_INFINITY, lingerMs: 0, maxInFlight: 2 };

/**
 * Commits new users with their CREATED lifecycle events in batches (ADR 0026). A batch is one
 * statement in one round trip — the user rows, their outbox rows and the relay's wake-up commit
 * together or not at all — so a burst of N registrations costs a handful of commits, not N
 * five-statement transactions, and a lone registration still goes at once (no timer).
 * Resolves per user: created, or not because a live user already has the email (the unique index,
 * ON CONFLICT DO NOTHING: one of racing registrations wins, the first within one batch).
 */
export class RegistrationBatcher {
  private readonly batches = new Coalescer<Waiting>(BATCHING, () => 1, (_key, batch) => this.commit(batch));
  private readonly channel: string;

  constructor(private readonly dataSource: DataSource) {
    this.channel = outboxChannel((dataSource.options as { schema?: string }).schema);
  }

  insert(user: NewUser, deadline: number): Promise<boolean> {
    return new Promise((settle, fail) => this.batches.add('users', { user, deadline, settle, fail }));
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      // Checked once a connection is in hand, right before the commit starts: a registration that
      // waited past its deadline (for the pool or a full window) must not commit any more.
      const now = Date.now();
      const due = batch.filter((entry) => {
        if (now <= entry.deadline) return true;
        entry.fail(new DeadlineMissedError(`registration of ${entry.user.id} missed its deadline before its commit started`));
        return false;
      });
      const created = due.length > 0 ? await this.insertRows(client, due.map((entry) => entry.user)) : new Set<string>();
      for (const entry of due) entry.settle(created.has(entry.user.id));
    } catch (error) {
      for (const entry of batch) entry.fail(error);
    } finally {
      await runner.release();
    }
  }

  /**
   * One named (prepared once per connection) statement whatever the batch size: the users travel as
   * four arrays and their events as the outbox's arrays, so the SQL text never changes. Users are
   * inserted in email order (two statements in flight take the unique index's entries in the same
   * order, so they cannot deadlock; of one email the earliest arrival wins); outbox rows are written
   * only for the users the INSERT created, in arrival order.
   */
  private async insertRows(client: PoolClient, users: NewUser[]): Promise<Set<string>> {
    const events = outboxRowsSelect(
      users.map((user) => lifecycleOutboxEntry({ ...user, version: 1 }, 'CREATED')),
      6,
    );
    const result = await client.query<{ id: string }>({
      name: 'register-users',
      text: `WITH input AS (
               SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[]) WITH ORDINALITY AS input(id, email, phone, name, position)
             ), created AS (
               INSERT INTO users (id, email, phone, name, version)
               SELECT id, email, phone, name, 1 FROM input ORDER BY lower(email), position
               ON CONFLICT (lower(email)) WHERE deleted_at IS NULL DO NOTHING
               RETURNING id
             ), announced AS (
               INSERT INTO outbox_messages (${OUTBOX_COLUMNS})
               SELECT ${OUTBOX_COLUMNS} FROM ${events.from} JOIN input USING (position)
               WHERE input.id IN (SELECT id FROM created) ORDER BY position
             )
             SELECT id, pg_notify($5, '') FROM created`,
      values: [users.map((u) => u.id), users.map((u) => u.email), users.map((u) => u.phone), users.map((u) => u.name), this.channel, ...events.params],
    });
    return new Set(result.rows.map((row) => row.id));
  }
}
