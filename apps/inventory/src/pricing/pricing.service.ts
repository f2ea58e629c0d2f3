import { Injectable, NotFoundException } from '@nestjs/common';
import { parseEvent, priceChanged } from '@rocketmq-shop/contracts';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DataSource } from 'typeorm';
import { Product } from '../catalog/product.entity';

export interface PriceView {
  sku: string;
  priceCents: number;
  version: number;
}

@Injectable()
export class PricingService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The new price and its price-changes event commit together (outbox): a replica can never miss a
   * price the catalog shows, and the event is published once however many replicas listen.
   */
  changePrice(sku: string, priceCents: number): Promise<PriceView> {
    return this.dataSource.transaction(async (manager) => {
      const updated = await manager
        .createQueryBuilder()
        .update(Product)
        .set({ priceCents, priceVersion: () => 'price_version + 1' })
        .where('sku = :sku', { sku })
        .returning(['priceVersion'])
        .execute();
      const row = (updated.raw as { price_version: number }[])[0];
      if (!row) throw new NotFoundException(`no product ${sku}`);
      const event = parseEvent(priceChanged, { sku, priceCents, version: row.price_version, changedAt: new Date().toISOString() });
      await enqueueOutbox(manager, priceChanged.topic, event, { keys: [sku] });
      return { sku, priceCents, version: event.version };
    });
  }
}
