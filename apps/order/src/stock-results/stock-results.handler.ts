import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { orderStockResultsGroup, stockResult } from '@rocketmq-shop/contracts';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { consumeOnce } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { DataSource } from 'typeorm';
import { PurchaseOutcomes } from '../flash-sale/purchase-outcomes';
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
    private readonly purchaseOutcomes: PurchaseOutcomes,
  ) {}

  @RocketMQEventPattern(stockResult.topic, { group: orderStockResultsGroup.name })
  async onStockResult(@Payload() data: unknown): Promise<void> {
    const result = parseMessage(stockResult, data);
    // A spike's thousands of purchase answers go in batches; an order's answer has its own transaction.
    if (result.kind === 'flash-sale') {
      await this.purchaseOutcomes.apply(result);
      return;
    }
    // Keyed by the request, not the message id: a result published twice (outbox relay crash) is one fact.
    await consumeOnce(this.dataSource, orderStockResultsGroup.name, `${result.kind}:${result.requestId}`, (manager) => this.orders.applyStockResult(manager, result));
  }
}
