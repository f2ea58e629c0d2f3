import { Controller, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { priceChanged } from '@rocketmq-shop/contracts';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { type PriceView, PricingService } from './pricing.service';

const ChangePrice = priceChanged.schema.pick({ priceCents: true });

@ApiTags('pricing')
@Controller('products')
export class PriceController {
  constructor(private readonly pricing: PricingService) {}

  @Put(':sku/price')
  changePrice(@Param('sku') sku: string, @ZodBody(ChangePrice) body: z.output<typeof ChangePrice>): Promise<PriceView> {
    return this.pricing.changePrice(sku, body.priceCents);
  }
}
