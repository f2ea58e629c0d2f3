import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PURCHASE_STATES = ['PENDING', 'CONFIRMED', 'REJECTED'] as const;
export type PurchaseState = (typeof PURCHASE_STATES)[number];

/** A flash-sale purchase request: admitted at once as PENDING, decided later by inventory. */
@Entity({ name: 'purchases' })
export class Purchase {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  /** Unique together with userId (constraint purchases_one_per_user_per_sale): one purchase per user per sale. */
  @Column({ name: 'sale_id', type: 'varchar', length: 64 })
  saleId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: PurchaseState;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}
