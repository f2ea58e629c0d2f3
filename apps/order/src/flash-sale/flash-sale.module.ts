import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlashSaleController } from './flash-sale.controller';
import { FlashSaleService } from './flash-sale.service';
import { Purchase } from './purchase.entity';

/** Flash sale: admits purchase requests into the purchase-requests topic as fast as they come. */
@Module({
  imports: [TypeOrmModule.forFeature([Purchase])],
  controllers: [FlashSaleController],
  providers: [FlashSaleService],
  exports: [FlashSaleService],
})
export class FlashSaleModule {}
