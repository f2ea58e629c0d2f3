import { join } from 'node:path';
import { Controller, Injectable, Scope } from '@nestjs/common';
import { ClientRocketMQ, RocketMQEventPattern, RocketMQModule, RocketMQTransactionChecker } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import type { MessageView } from 'rocketmq-client-nodejs';
import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { runNode } from './support/child';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';
import { usePostgres } from './support/postgres';

interface OrderCreated {
  orderId: string;
}

const topic = unique('tx-orders');
const group = unique('tx-orders-g');
const SCHEMA = 'orders';
const delivered: string[] = [];
const verdicts = new Map<string, 'commit' | 'rollback'>();
const postgres = usePostgres(SCHEMA, ['CREATE TABLE orders (id text PRIMARY KEY)']);

/** The order service's check-back: a half message is committed if and only if its order row exists. */
class OrderTransactions {
  constructor(private readonly dataSource: DataSource) {}

  async check(message: MessageView): Promise<'commit' | 'rollback'> {
    const { orderId } = JSON.parse(message.body.toString()) as OrderCreated;
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM orders WHERE id = $1', [orderId]);
    const verdict = rows.length > 0 ? 'commit' : 'rollback';
    verdicts.set(orderId, verdict);
    return verdict;
  }
}
decorate(OrderTransactions, Injectable(), { check: RocketMQTransactionChecker(topic) });

class OrderEvents {
  created(order: OrderCreated): void {
    delivered.push(order.orderId);
  }
}
decorate(OrderEvents, Controller(), { created: handler(RocketMQEventPattern(topic, { group })) });

// Check-backs every second; enough of them that the check-back, not the give-up, decides.
const broker = useBroker({ topics: [{ name: topic, type: 'TRANSACTION' }], transaction: { maxChecks: 10 } });
const apps = useApps(broker);

/** The order service: its transaction checker, its producer (RocketMQModule) and a consumer of its own events. */
async function startOrderService(): Promise<ClientRocketMQ> {
  const module = moduleOf({
    imports: [RocketMQModule.forRoot({ endpoints: broker.endpoint, topics: [topic] })],
    controllers: [OrderEvents],
    providers: [{ provide: OrderTransactions, useFactory: () => new OrderTransactions(postgres.dataSource) }],
  });
  const { app } = await apps.server(module);
  return app.get(ClientRocketMQ);
}

/** A checker on a controller, as a service without a separate provider would place it. */
class OrderChecksController {
  check(message: MessageView): Promise<'commit' | 'rollback'> {
    return new OrderTransactions(postgres.dataSource).check(message);
  }
}
decorate(OrderChecksController, Controller(), { check: RocketMQTransactionChecker(topic) });

class RequestScopedChecker {
  check(): Promise<'commit'> {
    return Promise.resolve('commit');
  }
}
decorate(RequestScopedChecker, Injectable({ scope: Scope.REQUEST }), { check: RocketMQTransactionChecker(topic) });

const insertOrder = (orderId: string) => postgres.dataSource.transaction((manager) => manager.query('INSERT INTO orders (id) VALUES ($1)', [orderId]));
const orderExists = async (orderId: string) => ((await postgres.dataSource.query('SELECT 1 FROM orders WHERE id = $1', [orderId])) as unknown[]).length > 0;
const isHalf = async (messageId: string) => (await broker.admin.halfMessages()).some((half) => half.messageId === messageId);

/** A committed order published after `orderId`'s outcome: once it is delivered, a delivery of `orderId` would have been too. */
async function expectNeverDelivered(client: ClientRocketMQ, orderId: string): Promise<void> {
  const marker = `${orderId}-marker`;
  await client.sendInTransaction(topic, { orderId: marker }, () => insertOrder(marker));
  await waitFor(() => delivered.includes(marker), { message: `marker order ${marker}` });
  expect(delivered).not.toContain(orderId);
}

async function crashBeforeCommit(orderId: string, insertRow: boolean): Promise<string> {
  const args = [broker.endpoint, topic, postgres.url, SCHEMA, orderId, insertRow ? 'yes' : 'no'];
  const result = await runNode(join(__dirname, 'support/crash-before-commit.cjs'), args);
  expect(result.signal, result.stderr).toBe('SIGKILL');
  return (JSON.parse(result.stdout) as { messageId: string }).messageId;
}

describe('transaction checkers', () => {
  it('are found on controllers', async () => {
    const module = moduleOf({ imports: [RocketMQModule.forRoot({ endpoints: broker.endpoint })], controllers: [OrderEvents, OrderChecksController] });
    const client = (await apps.server(module)).app.get(ClientRocketMQ);
    await client.sendInTransaction(topic, { orderId: 'o-controller' }, () => insertOrder('o-controller'));
    await waitFor(() => delivered.includes('o-controller'), { message: 'the order event' });
  });

  it('fail the start on a request-scoped class, naming the class and the method', async () => {
    const module = moduleOf({ imports: [RocketMQModule.forRoot({ endpoints: broker.endpoint })], providers: [RequestScopedChecker] });
    await expect(apps.server(module)).rejects.toThrow("@RocketMQTransactionChecker('" + topic + "') on RequestScopedChecker.check: the class must be a singleton provider or controller");
  });
});

describe('transactional messages', () => {
  it('deliver the message when the local work commits', async () => {
    const client = await startOrderService();
    await client.sendInTransaction(topic, { orderId: 'o-commit' }, () => insertOrder('o-commit'));
    await waitFor(() => delivered.includes('o-commit'), { message: 'the committed order event' });
    expect(await orderExists('o-commit')).toBe(true);
  });

  it('succeed when a check-back committed before the producer did (the local work outlasted its first check)', async () => {
    const client = await startOrderService();
    const work = async () => {
      await insertOrder('o-slow');
      await waitFor(() => verdicts.get('o-slow') === 'commit', { timeoutMs: 10_000, message: 'the check-back of the slow order' });
    };
    await client.sendInTransaction(topic, { orderId: 'o-slow' }, work);
    await waitFor(() => delivered.includes('o-slow'), { message: 'the slow order event' });
    await expectNeverDelivered(client, 'o-slow-twice');
    expect(delivered.filter((orderId) => orderId === 'o-slow')).toEqual(['o-slow']);
  });

  it('roll back when the local work throws: no row, never delivered', async () => {
    const client = await startOrderService();
    const work = () =>
      postgres.dataSource.transaction(async (manager) => {
        await manager.query('INSERT INTO orders (id) VALUES ($1)', ['o-declined']);
        throw new Error('card declined');
      });
    await expect(client.sendInTransaction(topic, { orderId: 'o-declined' }, work)).rejects.toThrow('card declined');
    expect(await orderExists('o-declined')).toBe(false);
    expect(await broker.admin.halfMessages()).toEqual([]);
    await expectNeverDelivered(client, 'o-declined');
  });

  it('sent at once (half messages sharing requests), each is committed or rolled back on its own', async () => {
    const client = await startOrderService();
    const orderIds = Array.from({ length: 24 }, (_, i) => `o-burst-${i}`);
    const declined = (orderId: string) => Number(orderId.split('-').at(-1)) % 3 === 0;
    const outcomes = await Promise.allSettled(
      orderIds.map((orderId) =>
        client.sendInTransaction(topic, { orderId }, async () => {
          if (declined(orderId)) throw new Error('card declined');
          await insertOrder(orderId);
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(orderIds.map((orderId) => (declined(orderId) ? 'rejected' : 'fulfilled')));
    const committed = orderIds.filter((orderId) => !declined(orderId));
    await waitFor(() => committed.every((orderId) => delivered.includes(orderId)), { message: 'every committed order of the burst' });
    expect(await broker.admin.halfMessages()).toEqual([]);
    await expectNeverDelivered(client, 'o-burst-0');
    expect(delivered.filter((orderId) => /^o-burst-\d+$/.test(orderId)).sort()).toEqual([...committed].sort());
  });

  it('are committed by the check-back when the producer died after its database commit', async () => {
    await startOrderService();
    const messageId = await crashBeforeCommit('o-crash-with-row', true);
    await waitFor(() => delivered.includes('o-crash-with-row'), { timeoutMs: 20_000, message: 'the order event committed by check-back' });
    expect(verdicts.get('o-crash-with-row')).toBe('commit');
    expect(await isHalf(messageId)).toBe(false);
  });

  it('are rolled back by the check-back when the producer died before its database commit', async () => {
    const client = await startOrderService();
    const messageId = await crashBeforeCommit('o-crash-without-row', false);
    await waitFor(async () => verdicts.get('o-crash-without-row') === 'rollback' && !(await isHalf(messageId)), {
      timeoutMs: 20_000,
      message: 'the half message rolled back by check-back',
    });
    expect(await broker.admin.halfMessages()).toEqual([]);
    await expectNeverDelivered(client, 'o-crash-without-row');
  });
});
