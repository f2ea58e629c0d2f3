import { Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { storedCount } from '@rocketmq-shop/contracts';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import type { ProductView } from './product.entity';
import { ProductsService } from './products.service';

const SetStock = z.object({ stock: storedCount });

@ApiTags('catalog')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(): Promise<ProductView[]> {
    return this.products.list();
  }

  @Get(':sku')
  get(@Param('sku') sku: string): Promise<ProductView> {
    return this.products.get(sku);
  }

  @Put(':sku/stock')
  setStock(@Param('sku') sku: string, @ZodBody(SetStock) body: z.output<typeof SetStock>): Promise<ProductView> {
    return this.products.setStock(sku, body.stock);
  }
}
