import { Module } from '@nestjs/common';
import { PriceController } from './price.controller';
import { PriceSnapshotRequestsHandler } from './price-snapshot-requests.handler';
import { PricingService } from './pricing.service';

/**
 * Pricing: price changes, each published once to every price-cache replica through the outbox, and
 * snapshots of all current prices for replicas that start empty.
 */
@Module({ controllers: [PriceController, PriceSnapshotRequestsHandler], providers: [PricingService] })
export class PricingModule {}
