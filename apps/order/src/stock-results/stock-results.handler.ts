import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { orderStockResultsGroup, stockResult } from '@rocketmq-shop/contracts';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { consumeOnce } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { DataSource } from 'typeorm';
import { FlashSaleService } from '../flash-sale/flash-sale.service';
import { OrdersService } from '../orders/orders.service';
import { parseMessage } from '@rocketmq-shop/service-defaults';

/**
 * Inventory's answers. One topic and one group for both kinds of request (a group may have only one
 * handler per topic), so this handler routes by kind to the context that owns the request.
 */
@Controller()
export class StockResultsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersService,
    private readonly flashSales: FlashSaleService,
  ) {}

  @RocketMQEventPattern(stockResult.topic, { group: orderStockResultsGroup.name })
  async onStockResult(@Payload() data: unknown): Promise<void> {
    const result = parseMessage(stockResult, data);
    // Keyed by the request, not the message id: a result published twice (outbox relay crash) is one fact.
    await consumeOnce(this.dataSource, orderStockResultsGroup.name, `${result.kind}:${result.requestId}`, (manager) =>
      result.kind === 'order' ? this.orders.applyStockResult(manager, result) : this.flashSales.applyStockResult(manager, result),
    );
  }
}
