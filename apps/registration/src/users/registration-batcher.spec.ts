import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, ensureSchema, startEmbeddedPostgres, typeOrmOptions } from '@rocketmq-shop/postgres';
import { CreateOutboxMessages1795000000001, OutboxMessage } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DeadlineMissedError } from '@rocketmq-shop/service-defaults';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateUsers1797000000000 } from './create-users.migration';
import { type NewUser, RegistrationBatcher } from './registration-batcher';
import { User } from './user.entity';

const SCHEMA = 'registration';
const FAR = () => Date.now() + 60_000;

let database: DatabaseHandle;
let dataSource: DataSource;
let batcher: RegistrationBatcher;

beforeAll(async () => {
  database = await startEmbeddedPostgres();
  await ensureSchema(database.url, SCHEMA);
  dataSource = new DataSource(
    typeOrmOptions({ url: database.url, schema: SCHEMA, entities: [User, OutboxMessage], migrations: [CreateOutboxMessages1795000000001, CreateUsers1797000000000], poolSize: 4 }),
  );
  await dataSource.initialize();
}, 120_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database?.stop();
});

beforeEach(async () => {
  await dataSource.query('TRUNCATE users, outbox_messages');
  batcher = new RegistrationBatcher(dataSource);
});

const newUser = (email: string): NewUser => ({ id: randomUUID(), email, phone: '+4915112345678', name: 'Ada' });

async function outboxRows(): Promise<{ topic: string; tag: string; message_group: string; keys: string[]; payload: { userId: string; type: string; version: number; profile: { email: string } } }[]> {
  return dataSource.query('SELECT topic, tag, message_group, keys, payload FROM outbox_messages ORDER BY id');
}

describe('RegistrationBatcher', () => {
  it('commits each user with exactly one CREATED lifecycle event, in arrival order', async () => {
    const users = Array.from({ length: 50 }, (_, i) => newUser(`u${i}@example.com`));
    const outcomes = await Promise.all(users.map((user) => batcher.insert(user, FAR())));

    expect(outcomes.every(Boolean)).toBe(true);
    const rows: { id: string; version: number }[] = await dataSource.query('SELECT id, version FROM users');
    expect(rows).toHaveLength(50);
    expect(rows.every((row) => row.version === 1)).toBe(true);
    const events = await outboxRows();
    expect(events.map((event) => event.payload.userId)).toEqual(users.map((user) => user.id));
    expect(events[0]).toMatchObject({ topic: 'user-lifecycle', tag: 'CREATED', message_group: users[0].id, keys: [users[0].id] });
    expect(events[0].payload).toMatchObject({ type: 'CREATED', version: 1, profile: { email: 'u0@example.com' } });
  });

  it('lets the first of concurrent registrations with one email win, within a batch and across batches', async () => {
    // Added in one tick, the twins share a statement.
    const first = newUser('twin@example.com');
    const sameBatch = newUser('TWIN@example.com');
    const [firstCreated, sameBatchCreated] = await Promise.all([batcher.insert(first, FAR()), batcher.insert(sameBatch, FAR())]);
    const laterCreated = await batcher.insert(newUser('twin@example.com'), FAR());

    expect([firstCreated, sameBatchCreated, laterCreated]).toEqual([true, false, false]);
    expect(await dataSource.query("SELECT id FROM users WHERE email ILIKE 'twin@%'")).toEqual([{ id: first.id }]);
    expect((await outboxRows()).filter((event) => event.payload.profile.email.startsWith('twin')).map((event) => event.payload.userId)).toEqual([first.id]);
  });

  it('creates one user per email across two statements in flight holding the same emails', async () => {
    const firstBatch = [newUser('x@example.com'), newUser('y@example.com')].map((user) => batcher.insert(user, FAR()));
    await new Promise((resolve) => setImmediate(resolve));
    const secondBatch = [newUser('y@example.com'), newUser('x@example.com')].map((user) => batcher.insert(user, FAR()));
    const outcomes = await Promise.all([...firstBatch, ...secondBatch]);

    expect(outcomes.filter(Boolean)).toHaveLength(2);
    expect((await dataSource.query('SELECT email FROM users ORDER BY email')).map((row: { email: string }) => row.email)).toEqual(['x@example.com', 'y@example.com']);
    expect(await outboxRows()).toHaveLength(2);
  });

  it('accepts an email again once its user is deleted', async () => {
    const gone = newUser('again@example.com');
    await batcher.insert(gone, FAR());
    await dataSource.query('UPDATE users SET deleted_at = now() WHERE id = $1', [gone.id]);

    expect(await batcher.insert(newUser('again@example.com'), FAR())).toBe(true);
  });

  it('refuses a registration whose deadline passed before its commit started, writing nothing for it', async () => {
    const late = newUser('late@example.com');
    const onTime = newUser('ontime@example.com');
    const [lateOutcome, onTimeOutcome] = await Promise.allSettled([batcher.insert(late, Date.now() - 1), batcher.insert(onTime, FAR())]);

    expect(lateOutcome).toMatchObject({ status: 'rejected', reason: expect.any(DeadlineMissedError) });
    expect(onTimeOutcome).toEqual({ status: 'fulfilled', value: true });
    const users: { id: string }[] = await dataSource.query('SELECT id FROM users');
    expect(users.map((user) => user.id)).not.toContain(late.id);
    expect(users.map((user) => user.id)).toContain(onTime.id);
    expect((await outboxRows()).map((event) => event.payload.userId)).not.toContain(late.id);
  });
});
