import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { inventoryPriceSnapshotsGroup, priceSnapshotRequested } from '@rocketmq-shop/contracts';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { PricingService } from './pricing.service';

/**
 * A price-cache replica started with an empty memory: republish every current price. Broadcast sends
 * the answer to every replica; the asking one fills up, the warm ones find it stale.
 */
@Controller()
export class PriceSnapshotRequestsHandler {
  private readonly logger = new Logger(PriceSnapshotRequestsHandler.name);

  constructor(private readonly pricing: PricingService) {}

  @RocketMQEventPattern(priceSnapshotRequested.topic, { group: inventoryPriceSnapshotsGroup.name })
  async onPriceSnapshotRequested(@Payload() data: unknown): Promise<void> {
    const request = parseMessage(priceSnapshotRequested, data);
    const prices = await this.pricing.republishCurrentPrices();
    this.logger.log({ msg: 'price snapshot enqueued', requestedBy: request.requestedBy, prices });
  }
}
