import { Injectable, NotFoundException } from '@nestjs/common';
import { parseEvent, priceChanged, type PriceChanged } from '@rocketmq-shop/contracts';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { Product } from '../catalog/product.entity';

export interface PriceView {
  sku: string;
  priceCents: number;
  version: number;
}

type CurrentPrice = Pick<Product, 'sku' | 'priceCents' | 'priceVersion' | 'priceChangedAt'>;

@Injectable()
export class PricingService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The new price and its price-changes event commit together (outbox): a replica can never miss a
   * price the catalog shows, and the event is published once however many replicas listen.
   */
  changePrice(sku: string, priceCents: number): Promise<PriceView> {
    return this.dataSource.transaction(async (manager) => {
      const priceChangedAt = new Date();
      const updated = await manager
        .createQueryBuilder()
        .update(Product)
        .set({ priceCents, priceVersion: () => 'price_version + 1', priceChangedAt })
        .where('sku = :sku', { sku })
        .returning(['priceVersion'])
        .execute();
      const row = (updated.raw as { price_version: number }[])[0];
      if (!row) throw new NotFoundException(`no product ${sku}`);
      const event = await enqueuePriceChanged(manager, { sku, priceCents, priceVersion: row.price_version, priceChangedAt });
      return { sku, priceCents, version: event.version };
    });
  }

  /**
   * Answers a snapshot request: every product's current price as a price-changes event, enqueued in
   * one transaction from one read of the catalog. A price changed meanwhile has its own, newer event,
   * and replicas keep the highest version whatever the order, so a snapshot that arrives late, or is
   * answered twice after a redelivery, changes nothing: no idempotency key needed. Returns how many
   * prices were enqueued.
   */
  republishCurrentPrices(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const prices: CurrentPrice[] = await manager.find(Product, {
        select: { sku: true, priceCents: true, priceVersion: true, priceChangedAt: true },
        order: { sku: 'ASC' },
      });
      for (const price of prices) await enqueuePriceChanged(manager, price);
      return prices.length;
    });
  }
}

/** Both a change and a snapshot publish this exact event, so replicas cannot tell them apart. */
async function enqueuePriceChanged(manager: EntityManager, price: CurrentPrice): Promise<PriceChanged> {
  const event = parseEvent(priceChanged, {
    sku: price.sku,
    priceCents: price.priceCents,
    version: price.priceVersion,
    changedAt: price.priceChangedAt.toISOString(),
  });
  await enqueueOutbox(manager, priceChanged.topic, event, { keys: [price.sku] });
  return event;
}
