import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { purchaseRequested } from '@rocketmq-shop/contracts';
import { ZodBody, ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import type { z } from 'zod';
import { type AdmittedPurchase, type FlashSaleStats, FlashSaleService, type PurchaseView } from './flash-sale.service';
import { SoldOutGate } from './sold-out-gate';

const { saleId: SaleId, quantity: Quantity, sku: Sku } = purchaseRequested.schema.shape;
const RequestPurchase = purchaseRequested.schema.pick({ userId: true, sku: true }).extend({ quantity: Quantity.default(1) });

@ApiTags('flash-sale')
@Controller()
export class FlashSaleController {
  constructor(
    private readonly flashSales: FlashSaleService,
    private readonly gate: SoldOutGate,
  ) {}

  /**
   * 202: accepted for processing; follow statusUrl for the outcome. 409 `reason: 'sold-out'` when this
   * replica knows the stock is gone, `'already-purchased'` for a repeat buyer; 503 + Retry-After when
   * overloaded or a dependency is down.
   */
  @Post('flash-sales/:saleId/purchases')
  @HttpCode(202)
  request(@Param('saleId', new ZodValidationPipe(SaleId)) saleId: string, @ZodBody(RequestPurchase) body: z.output<typeof RequestPurchase>): Promise<AdmittedPurchase> {
    return this.flashSales.admit({ saleId, ...body });
  }

  @Get('purchases/:requestId')
  get(@Param('requestId', ParseUUIDPipe) requestId: string): Promise<PurchaseView> {
    return this.flashSales.get(requestId);
  }

  /** What this replica's sold-out gate knows of a SKU's stock (null: nothing heard yet, the gate is open). */
  @Get('sold-out-gate/:sku')
  gateState(@Param('sku', new ZodValidationPipe(Sku)) sku: string): { sku: string; available: number | null } {
    return { sku, available: this.gate.available(sku) ?? null };
  }

  @Get('flash-sales/:saleId/stats')
  stats(@Param('saleId', new ZodValidationPipe(SaleId)) saleId: string): Promise<FlashSaleStats> {
    return this.flashSales.stats(saleId);
  }
}
