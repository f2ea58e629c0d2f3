import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlashSaleController } from './flash-sale.controller';
import { DataSource } from 'typeorm';
import { AdmissionLimit } from './admission-limit';
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
    { provide: AdmissionLimit, useFactory: () => AdmissionLimit.fromEnv() },
    { provide: PurchaseBatcher, useFactory: (dataSource: DataSource) => new PurchaseBatcher(dataSource), inject: [DataSource] },
  ],
  exports: [FlashSaleService],
})
export class FlashSaleModule {}
