import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Product, type ProductView, toProductView } from './product.entity';

@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  async list(): Promise<ProductView[]> {
    return (await this.products.find({ order: { sku: 'ASC' } })).map(toProductView);
  }

  async get(sku: string): Promise<ProductView> {
    const product = await this.products.findOneBy({ sku });
    if (!product) throw new NotFoundException(`no product ${sku}`);
    return toProductView(product);
  }

  /** Restocking (and the tests' way to set up a sale) overwrites the count; reservations already made stay made. */
  async setStock(sku: string, stock: number): Promise<ProductView> {
    const { affected } = await this.products.update({ sku }, { stock });
    if (!affected) throw new NotFoundException(`no product ${sku}`);
    return this.get(sku);
  }
}
