import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { priceChanged } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { type ApplyOutcome, PriceCache } from './price-cache';

/**
 * Base name of the replica's consumer group. With `broadcast: true` the transport consumes as
 * `price-cache-bcast-<INSTANCE_ID>` — contracts' `priceCacheBroadcastGroup(instanceId)` — so every
 * replica has a group of its own and receives every price change (ADR 0006).
 */
export const PRICE_CACHE_GROUP = 'price-cache-bcast';

@Controller()
export class PriceChangesHandler {
  private readonly logger = new Logger(PriceChangesHandler.name);

  constructor(private readonly cache: PriceCache) {}

  @RocketMQEventPattern(priceChanged.topic, { group: PRICE_CACHE_GROUP, broadcast: true })
  onPriceChanged(@Payload() data: unknown, @Ctx() context: RocketMQContext): ApplyOutcome {
    const change = parseMessage(priceChanged, data);
    const outcome = this.cache.apply(change);
    // A warm-up replays history, and every replica's snapshot reaches all: mostly stale entries, kept
    // out of the info log.
    const entry = { msg: `price change ${outcome}`, ...change, outcome, messageId: context.getMessageId() };
    if (outcome === 'applied') this.logger.log(entry);
    else this.logger.debug(entry);
    return outcome;
  }
}
