import { Module } from '@nestjs/common';
import { PriceController } from './price.controller';
import { PricingService } from './pricing.service';

/** Pricing: price changes, each published once to every price-cache replica through the outbox. */
@Module({ controllers: [PriceController], providers: [PricingService] })
export class PricingModule {}
