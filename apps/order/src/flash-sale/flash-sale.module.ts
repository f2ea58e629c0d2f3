import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InFlightLimit } from '@rocketmq-shop/service-defaults';
import { FlashSaleController } from './flash-sale.controller';
import { DataSource } from 'typeorm';
import { FlashSaleService } from './flash-sale.service';
import { PendingPurchaseSweeper, sweepSettingsFromEnv } from './pending-purchase-sweeper';
import { PurchaseBatcher } from './purchase-batcher';
import { PurchaseOutcomes } from './purchase-outcomes';
import { Purchase } from './purchase.entity';
import { SoldOutGate } from './sold-out-gate';
import { FrontDoor } from './front-door';
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
    FrontDoor,
    PurchaseOutcomes,
    { provide: SoldOutGate, useFactory: () => new SoldOutGate() },
    // Shed by time (ADR 0014): FLASH_SALE_QUEUE_BUDGET_MS, default 50 — an admission answers within the
    // 100 ms target or is told 503 at once; FLASH_SALE_MAX_IN_FLIGHT, default 1000, caps memory (ADR 0011).
    {
      provide: InFlightLimit,
      useFactory: () => InFlightLimit.fromEnv('purchase admissions', 'FLASH_SALE_MAX_IN_FLIGHT', 1000, { variable: 'FLASH_SALE_QUEUE_BUDGET_MS', fallbackMs: 50 }),
    },
    { provide: PurchaseBatcher, useFactory: (dataSource: DataSource) => new PurchaseBatcher(dataSource), inject: [DataSource] },
    { provide: PendingPurchaseSweeper, useFactory: (flashSales: FlashSaleService) => new PendingPurchaseSweeper(flashSales, sweepSettingsFromEnv()), inject: [FlashSaleService] },
  ],
  exports: [FlashSaleService, PurchaseOutcomes],
})
export class FlashSaleModule {}
