import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { purchaseIntakeFromEnv } from './purchase-intake';
import { PurchaseSlowdown } from './purchase-slowdown';
import { ReservationStats } from './reservation-stats.service';
import { StockReservationService } from './stock-reservation.service';

// Read when the class is decorated: the subscription's limits are fixed for the life of the process.
const intake = purchaseIntakeFromEnv();

/** Flash-sale purchases, taken off the broker no faster than the configured rate (peak shaving). */
@Controller()
export class PurchaseRequestsHandler {
  constructor(
    private readonly reservations: StockReservationService,
    private readonly stats: ReservationStats,
    private readonly slowdown: PurchaseSlowdown,
  ) {}

  @RocketMQEventPattern(purchaseRequested.topic, {
    group: inventoryPurchasesGroup.name,
    concurrency: intake.concurrency,
    maxRatePerSecond: intake.ratePerSecond,
  })
  async onPurchaseRequested(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const request = parseMessage(purchaseRequested, data);
    this.stats.purchaseTaken(context.getBornTimestamp());
    await this.slowdown.wait();
    await this.reservations.decide(inventoryPurchasesGroup, {
      requestId: request.requestId,
      kind: 'flash-sale',
      lines: [{ sku: request.sku, quantity: request.quantity }],
    });
  }
}
