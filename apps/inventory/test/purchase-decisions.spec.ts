import { type DatabaseHandle, ensureSchema, resolveDatabase, typeOrmOptions } from '@rocketmq-shop/postgres';
import { RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Product } from '../src/catalog/product.entity';
import { INVENTORY_SCHEMA } from '../src/database';
import { type Purchase, PurchaseDecisions } from '../src/reservations/purchase-decisions.service';

let database: DatabaseHandle;
/** Two pools: two inventory instances deciding against the same Postgres. */
const instances: DataSource[] = [];

beforeAll(async () => {
  database = await resolveDatabase();
  await ensureSchema(database.url, INVENTORY_SCHEMA.schema);
  for (let i = 0; i < 2; i++) instances.push(await new DataSource(typeOrmOptions({ ...INVENTORY_SCHEMA, url: database.url, poolSize: 4 })).initialize());
}, 120_000);

afterAll(async () => {
  for (const dataSource of instances) await dataSource.destroy();
  await database?.stop();
});

/** A SKU of the test's own, so tests sharing a database (DATABASE_URL) never see each other's rows. */
async function productWithStock(stock: number): Promise<string> {
  const sku = `T-${randomUUID().slice(0, 8)}`;
  await instances[0].manager.insert(Product, { sku, name: 'test product', priceCents: 100, stock });
  return sku;
}

const purchase = (sku: string, quantity = 1): Purchase => ({ requestId: randomUUID(), sku, quantity });

async function stockOf(sku: string): Promise<{ stock: number; stockVersion: number }> {
  const product = await instances[0].manager.findOneByOrFail(Product, { sku });
  return { stock: product.stock, stockVersion: product.stockVersion };
}

async function decisionsOf(requestIds: string[]): Promise<{ request_id: string; status: string; reason: string | null; kind: string; lines: unknown }[]> {
  return instances[0].query('SELECT request_id, status, reason, kind, lines FROM stock_decisions WHERE request_id = ANY($1) ORDER BY request_id', [requestIds]);
}

async function outboxOf(topic: string, key: string): Promise<{ payload: Record<string, unknown> }[]> {
  return instances[0].query(`SELECT payload FROM outbox_messages WHERE topic = $1 AND (keys ? $2 OR payload->>'sku' = $2) ORDER BY id`, [topic, key]);
}

describe('PurchaseDecisions (real Postgres)', () => {
  it('decides a batch in one transaction, in arrival order, with mixed outcomes at the stock boundary', async () => {
    const sku = await productWithStock(5);
    const before = await stockOf(sku);
    const batch = [purchase(sku, 2), purchase(sku, 2), purchase(sku, 2), purchase(sku, 1)];
    const decisions = new PurchaseDecisions(instances[0]);
    const soldOut: unknown[] = [];
    decisions.onSoldOut((level) => soldOut.push(level));

    const results = await Promise.all(batch.map((p) => decisions.decide(p)));

    expect(results.map((result) => [result?.status, result?.reason])).toEqual([
      ['RESERVED', undefined],
      ['RESERVED', undefined],
      ['REJECTED', `out of stock: ${sku} has 1, 2 requested`],
      ['RESERVED', undefined],
    ]);
    // One UPDATE for the whole batch: the version moved by one.
    expect(await stockOf(sku)).toEqual({ stock: 0, stockVersion: before.stockVersion + 1 });
    expect((await decisionsOf(batch.map((p) => p.requestId))).map((row) => row.status).sort()).toEqual(['REJECTED', 'RESERVED', 'RESERVED', 'RESERVED']);
    const [first] = await decisionsOf([batch[0].requestId]);
    expect(first).toMatchObject({ kind: 'flash-sale', lines: [{ sku, quantity: 2 }] });
    for (const [i, p] of batch.entries()) expect((await outboxOf('stock-results', p.requestId)).map((row) => row.payload.status)).toEqual([results[i]?.status]);
    // The batch that took the last unit told the sold-out gates: through the outbox, and at once after its commit.
    expect((await outboxOf('stock-levels', sku)).map((row) => row.payload.available)).toEqual([0]);
    expect(soldOut).toEqual([expect.objectContaining({ sku, available: 0, version: before.stockVersion + 1 })]);
  });

  it('decides a redelivered purchase once, whether it comes back later or inside the same batch', async () => {
    const sku = await productWithStock(10);
    const decisions = new PurchaseDecisions(instances[0]);
    const soldOut: unknown[] = [];
    decisions.onSoldOut((level) => soldOut.push(level));
    const first = purchase(sku, 3);
    expect((await decisions.decide(first))?.status).toBe('RESERVED');

    const again = purchase(sku, 1);
    const answers = await Promise.all([decisions.decide(first), decisions.decide(again), decisions.decide(again)]);

    expect(answers.map((answer) => answer?.status)).toEqual([undefined, 'RESERVED', undefined]);
    expect((await stockOf(sku)).stock).toBe(6);
    expect(await decisionsOf([first.requestId, again.requestId])).toHaveLength(2);
    expect(await outboxOf('stock-results', first.requestId)).toHaveLength(1);
    expect(await outboxOf('stock-results', again.requestId)).toHaveLength(1);
    // Stock is left: nothing to announce.
    expect(soldOut).toEqual([]);
    expect(await outboxOf('stock-levels', sku)).toEqual([]);
  });

  it('never oversells when two instances decide the same SKU at once, redeliveries included', async () => {
    const stock = 150;
    const sku = await productWithStock(stock);
    const [a, b] = instances.map((dataSource) => new PurchaseDecisions(dataSource));
    const onlyA = Array.from({ length: 150 }, () => purchase(sku));
    const onlyB = Array.from({ length: 150 }, () => purchase(sku));
    // Delivered to both instances, as after an invisible time ran out mid-decision.
    const both = Array.from({ length: 50 }, () => purchase(sku));

    const answers = await Promise.all([...[...onlyA, ...both].map((p) => a.decide(p)), ...[...onlyB, ...both].map((p) => b.decide(p))]);

    const decided = answers.filter((answer) => answer !== undefined);
    expect(decided).toHaveLength(350);
    expect(new Set(decided.map((answer) => answer.requestId)).size).toBe(350);
    expect(decided.filter((answer) => answer.status === 'RESERVED')).toHaveLength(stock);
    expect((await stockOf(sku)).stock).toBe(0);
    const rows = await decisionsOf([...onlyA, ...onlyB, ...both].map((p) => p.requestId));
    expect(rows.filter((row) => row.status === 'RESERVED')).toHaveLength(stock);
    expect(rows).toHaveLength(350);
  });

  it('dead-letters a purchase Postgres can never apply with its reason, and decides the rest of its batch', async () => {
    const sku = await productWithStock(10);
    const decisions = new PurchaseDecisions(instances[0]);
    // A quantity no integer column takes: it fails the stock UPDATE on every attempt (SQLSTATE 22P02).
    const poison = { ...purchase(sku), quantity: 1.5 };
    const fine = [purchase(sku, 2), purchase(sku, 3)];

    const [poisoned, ...answers] = await Promise.allSettled([decisions.decide(poison), ...fine.map((p) => decisions.decide(p))]);

    expect(poisoned.status).toBe('rejected');
    const error = (poisoned as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(RocketMQNonRetriableError);
    expect(error.message).toMatch(/cannot apply: .*22P02/);
    expect(answers.map((answer) => (answer as PromiseFulfilledResult<{ status: string }>).value.status)).toEqual(['RESERVED', 'RESERVED']);
    expect((await stockOf(sku)).stock).toBe(5);
    const [row] = await decisionsOf([poison.requestId]);
    expect(row.status).toBe('REJECTED');
    expect(row.reason).toMatch(/^cannot apply: .*22P02/);
    expect((await outboxOf('stock-results', poison.requestId)).map((entry) => entry.payload.status)).toEqual(['REJECTED']);
  });
});
