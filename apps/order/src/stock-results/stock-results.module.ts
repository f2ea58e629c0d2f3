import { Module } from '@nestjs/common';
import { FlashSaleModule } from '../flash-sale/flash-sale.module';
import { OrdersModule } from '../orders/orders.module';
import { StockResultsHandler } from './stock-results.handler';

@Module({ imports: [OrdersModule, FlashSaleModule], controllers: [StockResultsHandler] })
export class StockResultsModule {}
