import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { purchaseRequested } from '@rocketmq-shop/contracts';
import { ZodBody, ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import type { z } from 'zod';
import { type AdmittedPurchase, type FlashSaleStats, FlashSaleService, type PurchaseView } from './flash-sale.service';

const { saleId: SaleId, quantity: Quantity } = purchaseRequested.schema.shape;
const RequestPurchase = purchaseRequested.schema.pick({ userId: true, sku: true }).extend({ quantity: Quantity.default(1) });

@ApiTags('flash-sale')
@Controller()
export class FlashSaleController {
  constructor(private readonly flashSales: FlashSaleService) {}

  /** 202: accepted for processing; follow statusUrl for the outcome. */
  @Post('flash-sales/:saleId/purchases')
  @HttpCode(202)
  request(@Param('saleId', new ZodValidationPipe(SaleId)) saleId: string, @ZodBody(RequestPurchase) body: z.output<typeof RequestPurchase>): Promise<AdmittedPurchase> {
    return this.flashSales.admit({ saleId, ...body });
  }

  @Get('purchases/:requestId')
  get(@Param('requestId', ParseUUIDPipe) requestId: string): Promise<PurchaseView> {
    return this.flashSales.get(requestId);
  }

  @Get('flash-sales/:saleId/stats')
  stats(@Param('saleId', new ZodValidationPipe(SaleId)) saleId: string): Promise<FlashSaleStats> {
    return this.flashSales.stats(saleId);
  }
}
