import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { purchaseRequested } from '@rocketmq-shop/contracts';
import { ZodBody, ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import type { z } from 'zod';
import { RequestPurchase, SaleId } from './purchase-request.schema';
import { type AdmittedPurchase, type FlashSaleStats, FlashSaleService, type PurchaseView } from './flash-sale.service';
import { SoldOutGate } from './sold-out-gate';

const { sku: Sku } = purchaseRequested.schema.shape;

@ApiTags('flash-sale')
@Controller()
export class FlashSaleController {
  constructor(
    private readonly flashSales: FlashSaleService,
    private readonly gate: SoldOutGate,
  ) {}

  /**
   * 202: accepted for processing; follow statusUrl for the outcome. 409 `reason: 'sold-out'` when this
   * replica knows the stock is gone or has admitted all of it itself, `'already-purchased'` for a repeat
   * buyer; 503 + Retry-After when overloaded or a dependency is down. A valid purchase is answered by
   * FrontDoor, ahead of Express, before this handler (ADR 0027): this route answers what it lets
   * through — an invalid purchase, 400 with zod's issues — and documents the endpoint.
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

  /** What this replica's sold-out gate would still admit of a SKU: inventory's last level minus this replica's admissions since (null: nothing heard yet, the gate is open). */
  @Get('sold-out-gate/:sku')
  gateState(@Param('sku', new ZodValidationPipe(Sku)) sku: string): { sku: string; available: number | null } {
    return { sku, available: this.gate.available(sku) ?? null };
  }

  @Get('flash-sales/:saleId/stats')
  stats(@Param('saleId', new ZodValidationPipe(SaleId)) saleId: string): Promise<FlashSaleStats> {
    return this.flashSales.stats(saleId);
  }
}
