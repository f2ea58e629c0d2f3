import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { PurchaseDecisions } from './purchase-decisions.service';
import { purchaseIntakeFromEnv } from './purchase-intake';
import { PurchaseSlowdown } from './purchase-slowdown';
import { ReservationStats } from './reservation-stats.service';

// Read when the class is decorated: the subscription's limits are fixed for the life of the process.
const intake = purchaseIntakeFromEnv();

/**
 * Flash-sale purchases, taken off the broker no faster than the configured rate (peak shaving) and
 * decided in batches per SKU: `concurrency` is also the largest batch.
 */
@Controller()
export class PurchaseRequestsHandler {
  constructor(
    private readonly decisions: PurchaseDecisions,
    private readonly stats: ReservationStats,
    private readonly slowdown: PurchaseSlowdown,
  ) {}

  @RocketMQEventPattern(purchaseRequested.topic, {
    group: inventoryPurchasesGroup.name,
    concurrency: intake.concurrency,
    maxRatePerSecond: intake.ratePerSecond,
    // Whole batches at the capped rate: one start per 1/rate would make every batch a batch of one.
    paceInGroupsOf: intake.concurrency,
  })
  async onPurchaseRequested(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const request = parseMessage(purchaseRequested, data);
    this.stats.purchaseTaken(context.getBornTimestamp());
    await this.slowdown.wait();
    // Joins the purchases of the same SKU being handled at the moment: they are decided in one transaction.
    await this.decisions.decide(request);
  }
}
