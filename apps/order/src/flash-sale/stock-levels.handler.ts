import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ORDER_STOCK_BROADCAST_PREFIX, stockLevel } from '@rocketmq-shop/contracts';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { type GateUpdate, SoldOutGate } from './sold-out-gate';

/**
 * Base name of the replica's group: with `broadcast: true` the transport consumes as
 * `order-stock-bcast-<INSTANCE_ID>` (contracts' `orderStockLevelsBroadcastGroup`), so every order
 * replica hears every stock level (ADR 0006). A new replica's group starts at the first retained
 * message, so it catches up on the sales already sold out.
 */
const ORDER_STOCK_GROUP = ORDER_STOCK_BROADCAST_PREFIX.slice(0, -1);

@Controller()
export class StockLevelsHandler {
  private readonly logger = new Logger(StockLevelsHandler.name);

  constructor(private readonly gate: SoldOutGate) {}

  @RocketMQEventPattern(stockLevel.topic, { group: ORDER_STOCK_GROUP, broadcast: true })
  onStockLevel(@Payload() data: unknown): GateUpdate {
    const level = parseMessage(stockLevel, data);
    const update = this.gate.apply(level);
    if (update === 'applied') this.logger.log({ msg: level.available === 0 ? `sold out: ${level.sku}` : `stock of ${level.sku}: ${level.available}`, ...level });
    return update;
  }
}
