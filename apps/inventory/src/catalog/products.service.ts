import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Product, type ProductView, toProductView } from './product.entity';
import { announceStockLevel, changeStock } from './stock-levels';

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

  /**
   * Restocking (and the tests' way to set up a sale) overwrites the count; reservations already made
   * stay made. Every order replica hears the new count, so a sold-out sale reopens at once.
   */
  async setStock(sku: string, stock: number): Promise<ProductView> {
    await this.products.manager.transaction(async (manager) => {
      const change = await changeStock(manager, (update) => update.set({ stock, stockVersion: () => 'stock_version + 1' }).where('sku = :sku', { sku }));
      if (!change) throw new NotFoundException(`no product ${sku}`);
      await announceStockLevel(manager, change);
    });
    return this.get(sku);
  }
}
