import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { inventoryOrdersGroup, orderCreated } from '@rocketmq-shop/contracts';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { StockReservationService } from './stock-reservation.service';

/** Regular orders: committed order-created messages (the half message of the order's transaction). */
@Controller()
export class OrderCreatedHandler {
  constructor(private readonly reservations: StockReservationService) {}

  @RocketMQEventPattern(orderCreated.topic, { group: inventoryOrdersGroup.name })
  async onOrderCreated(@Payload() data: unknown): Promise<void> {
    const order = parseMessage(orderCreated, data);
    await this.reservations.decide(inventoryOrdersGroup, { requestId: order.orderId, kind: 'order', lines: order.items });
  }
}
