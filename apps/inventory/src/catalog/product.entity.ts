import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'products' })
export class Product {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'price_cents', type: 'int' })
  priceCents!: number;

  /** Bumped on every price change; price-cache replicas drop changes older than what they hold. */
  @Column({ name: 'price_version', type: 'int', default: 1 })
  priceVersion!: number;

  /** When the current price was set; a price snapshot sends it as the event's `changedAt`. */
  @Column({ name: 'price_changed_at', type: 'timestamptz', default: () => 'now()' })
  priceChangedAt!: Date;

  /** Never negative: the migration's CHECK constraint backs the conditional UPDATE that reserves. */
  @Column({ type: 'int' })
  stock!: number;

  /** Bumped with every stock change; the stock-levels events carry it (see stock-levels.ts). */
  @Column({ name: 'stock_version', type: 'int', default: 1 })
  stockVersion!: number;
}

/** The JSON shape of a product in every HTTP answer. */
export interface ProductView {
  sku: string;
  name: string;
  priceCents: number;
  priceVersion: number;
  stock: number;
}

export function toProductView({ sku, name, priceCents, priceVersion, stock }: Product): ProductView {
  return { sku, name, priceCents, priceVersion, stock };
}
