import { Module } from '@nestjs/common';
import { FaultsController } from './faults.controller';
import { FlashSaleController } from './flash-sale.controller';
import { PriceCacheController } from './price-cache.controller';
import { RegistrationController } from './registration.controller';

/** The scenario panels (flash sale, price-cache replicas, registration timeline) and the failure catalogue's switches. */
@Module({ controllers: [FlashSaleController, PriceCacheController, RegistrationController, FaultsController] })
export class ScenariosModule {}
