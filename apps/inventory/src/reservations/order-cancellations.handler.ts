import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { inventoryOrderCancellationsGroup, orderLifecycle } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { StockReservationService } from './stock-reservation.service';

/** Cancelled orders give their stock back (only CANCELLED is delivered: TAG filter). */
@Controller()
export class OrderCancellationsHandler {
  private readonly logger = new Logger(OrderCancellationsHandler.name);

  constructor(private readonly reservations: StockReservationService) {}

  @RocketMQEventPattern(orderLifecycle.topic, { group: inventoryOrderCancellationsGroup.name, tag: 'CANCELLED', fifo: true })
  async onOrderCancelled(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const event = parseMessage(orderLifecycle, data);
    if (event.status !== 'CANCELLED') return;
    const outcome = await this.reservations.releaseCancelled(inventoryOrderCancellationsGroup, context.getMessageId(), event.orderId);
    this.logger.log(`order ${event.orderId} cancelled: ${outcome}`);
  }
}
