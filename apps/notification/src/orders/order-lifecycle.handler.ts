import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { notificationOrdersGroup, orderLifecycle } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import type { DataSource } from 'typeorm';
import { FaultInjector } from '../faults/fault-injector';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { applyInOrder } from '../sequencing/apply-in-order';
import { OrderTimeline } from './order-timeline.entity';

/**
 * Follows each order through CREATED, PAID, CANCELLED, … The stream is FIFO per user; versions count
 * per order (the aggregate), so each order's events must arrive as last + 1.
 */
@Controller()
export class OrderLifecycleHandler {
  private readonly logger = new Logger(OrderLifecycleHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly faults: FaultInjector,
  ) {}

  @RocketMQEventPattern(notificationOrdersGroup.topic.topic, { group: notificationOrdersGroup.name, fifo: true })
  async onOrderLifecycle(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const event = parseMessage(orderLifecycle, data);
    const verdict = await applyInOrder(this.dataSource, { stream: 'orders', entity: OrderTimeline, where: { orderId: event.orderId }, version: event.version }, async (manager) => {
      await manager.save(OrderTimeline, { orderId: event.orderId, userId: event.userId, status: event.status, version: event.version });
      this.faults.maybeFail('orders store');
    });
    if (verdict !== 'next') this.logger.warn(`order-lifecycle ${event.status} v${event.version} of order ${event.orderId} (message ${context.getMessageId()}) was ${verdict}`);
  }
}
