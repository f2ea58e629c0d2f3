import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InFlightLimit } from '@rocketmq-shop/service-defaults';
import { FlashSaleController } from './flash-sale.controller';
import { DataSource } from 'typeorm';
import { FlashSaleService } from './flash-sale.service';
import { PurchaseBatcher } from './purchase-batcher';
import { Purchase } from './purchase.entity';
import { SoldOutGate } from './sold-out-gate';
import { StockLevelsHandler } from './stock-levels.handler';

/**
 * Flash sale: admits purchase requests into the purchase-requests topic as fast as they come, behind
 * a sold-out gate that inventory keeps informed (stock-levels, broadcast).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Purchase])],
  controllers: [FlashSaleController, StockLevelsHandler],
  providers: [
    FlashSaleService,
    { provide: SoldOutGate, useFactory: () => new SoldOutGate() },
    // FLASH_SALE_MAX_IN_FLIGHT, default 1000: half a second of a 2,000 req/s spike (ADR 0011).
    { provide: InFlightLimit, useFactory: () => InFlightLimit.fromEnv('purchase admissions', 'FLASH_SALE_MAX_IN_FLIGHT', 1000) },
    { provide: PurchaseBatcher, useFactory: (dataSource: DataSource) => new PurchaseBatcher(dataSource), inject: [DataSource] },
  ],
  exports: [FlashSaleService],
})
export class FlashSaleModule {}
