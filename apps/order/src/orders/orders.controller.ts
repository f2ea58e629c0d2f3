import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { orderCreated } from '@rocketmq-shop/contracts';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import type { z } from 'zod';
import type { OrderState } from './order-state';
import { type OrderView, OrdersService } from './orders.service';

const PlaceOrder = orderCreated.schema.pick({ userId: true, items: true });

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  place(@ZodBody(PlaceOrder) body: z.output<typeof PlaceOrder>): Promise<{ orderId: string; status: OrderState }> {
    return this.orders.create(body.userId, body.items);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<OrderView> {
    return this.orders.get(id);
  }

  @Post(':id/pay')
  @HttpCode(200)
  pay(@Param('id', ParseUUIDPipe) id: string): Promise<OrderView> {
    return this.orders.act(id, 'pay');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<OrderView> {
    return this.orders.act(id, 'cancel');
  }
}
