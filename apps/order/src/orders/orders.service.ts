import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type OrderCreated, type StockResult, orderCreated, parseEvent } from '@rocketmq-shop/contracts';
import { ClientRocketMQ, RocketMQTransactionChecker, type TransactionCheck } from '@rocketmq-shop/rocketmq-transport';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { Order, type OrderLine } from './order.entity';
import { announceOrderChange, announceOrderCreated } from './order-lifecycle';
import { ORDER_TRANSITIONS, type OrderCommand, type OrderState } from './order-state';

export interface OrderView {
  orderId: string;
  userId: string;
  items: OrderLine[];
  status: OrderState;
  version: number;
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

/** A half message older than this whose order is not in the database belongs to a transaction that failed. */
const UNKNOWN_ORDER_GRACE_MS = 60_000;

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    private readonly mq: ClientRocketMQ,
  ) {}

  /**
   * Transactional message: the half message of order-created is stored first, then the order row and
   * its CREATED lifecycle event commit in one Postgres transaction, then the half message is committed.
   * If the process dies in between, the broker asks checkOrderCreated.
   */
  async create(userId: string, items: OrderLine[]): Promise<{ orderId: string; status: OrderState }> {
    const createdAt = new Date();
    // The order service has no prices (pricing belongs to inventory): the contract's total is 0 here.
    const event: OrderCreated = parseEvent(orderCreated, { orderId: randomUUID(), userId, items, totalCents: 0, createdAt: createdAt.toISOString() });
    await this.mq.sendInTransaction(
      orderCreated.topic,
      event,
      () =>
        this.dataSource.transaction(async (manager) => {
          await manager.insert(Order, { id: event.orderId, userId, items, totalCents: event.totalCents, status: 'PENDING', version: 1, reason: null, createdAt, updatedAt: createdAt });
          await announceOrderChange(manager, { orderId: event.orderId, userId, version: 1, state: 'PENDING', occurredAt: createdAt });
          await announceOrderCreated(manager, event);
        }),
      { keys: [event.orderId] },
    );
    return { orderId: event.orderId, status: 'PENDING' };
  }

  /** Answers the broker's check-back for an order-created half message from the orders table. */
  @RocketMQTransactionChecker(orderCreated.topic)
  async checkOrderCreated(message: Parameters<TransactionCheck>[0]): Promise<Awaited<ReturnType<TransactionCheck>>> {
    const { orderId } = parseEvent(orderCreated, JSON.parse(message.body.toString('utf8')));
    if (await this.orders.existsBy({ id: orderId })) return 'commit';
    // Not there yet may mean "still committing": only a half message old enough is surely orphaned.
    const age = Date.now() - (message.bornTimestamp?.getTime() ?? 0);
    return age > UNKNOWN_ORDER_GRACE_MS ? 'rollback' : 'unknown';
  }

  async get(orderId: string): Promise<OrderView> {
    const order = await this.orders.findOneBy({ id: orderId });
    if (!order) throw new NotFoundException(`no order ${orderId}`);
    return toOrderView(order);
  }

  /** pay / cancel from HTTP: 404 for an unknown order, 409 for a move its state does not allow. */
  async act(orderId: string, command: Extract<OrderCommand, 'pay' | 'cancel'>): Promise<OrderView> {
    const refusal = await this.dataSource.transaction((manager) => this.transition(manager, orderId, command));
    if (refusal === 'missing') throw new NotFoundException(`no order ${orderId}`);
    if (refusal) throw new ConflictException(`order ${orderId} is ${refusal}; cannot ${command} it`);
    return this.get(orderId);
  }

  /** Inventory's answer for an order, applied in the consumer's transaction. */
  async applyStockResult(manager: EntityManager, result: StockResult): Promise<void> {
    const command = result.status === 'RESERVED' ? 'confirm' : 'reject';
    const refusal = await this.transition(manager, result.requestId, command, result.reason);
    // A result for an order cancelled meanwhile changes nothing; retrying would not change that either.
    if (refusal) this.logger.warn(`stock result ${result.status} for order ${result.requestId} ignored: order is ${refusal}`);
  }

  /**
   * One conditional UPDATE, so two racing commands cannot both win; the lifecycle event of the winner
   * commits with it. Returns undefined when applied, else the state that refused it (or 'missing').
   */
  private async transition(manager: EntityManager, orderId: string, command: OrderCommand, reason?: string): Promise<OrderState | 'missing' | undefined> {
    const { from, to } = ORDER_TRANSITIONS[command];
    const occurredAt = new Date();
    const updated = await manager
      .createQueryBuilder()
      .update(Order)
      .set({ status: to, version: () => 'version + 1', reason: reason ?? null, updatedAt: occurredAt })
      .where('id = :orderId AND status IN (:...from)', { orderId, from })
      .returning(['userId', 'version'])
      .execute();
    const row = (updated.raw as { user_id: string; version: number }[])[0];
    if (!row) return (await manager.findOneBy(Order, { id: orderId }))?.status ?? 'missing';
    await announceOrderChange(manager, { orderId, userId: row.user_id, version: row.version, state: to, occurredAt, reason });
    return undefined;
  }
}

function toOrderView(order: Order): OrderView {
  return {
    orderId: order.id,
    userId: order.userId,
    items: order.items,
    status: order.status,
    version: order.version,
    ...(order.reason ? { reason: order.reason } : {}),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
