import { type DynamicModule, Module } from '@nestjs/common';
import { PriceCache } from './price-cache';
import { PriceChangesHandler } from './price-changes.handler';
import { INSTANCE_ID, PricesController } from './prices.controller';
import { WarmUpService } from './warm-up.service';

/**
 * The pricing read model of one replica: the warm-up asks for a snapshot at start, the price-change
 * handler fills the cache (snapshot and changes alike), the controller reads it.
 */
@Module({})
export class PricesModule {
  static forRoot(instanceId: string): DynamicModule {
    return {
      module: PricesModule,
      controllers: [PricesController, PriceChangesHandler],
      providers: [
        { provide: PriceCache, useFactory: () => new PriceCache() },
        { provide: INSTANCE_ID, useValue: instanceId },
        WarmUpService,
      ],
    };
  }
}
