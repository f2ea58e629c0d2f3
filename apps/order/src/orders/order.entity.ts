import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderState } from './order-state';

export interface OrderLine {
  sku: string;
  quantity: number;
}

@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'jsonb' })
  items!: OrderLine[];

  @Column({ name: 'total_cents', type: 'int' })
  totalCents!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderState;

  /** Bumped on every transition; the version of the order-lifecycle event announcing it. */
  @Column({ type: 'int' })
  version!: number;

  /** Why inventory rejected the order. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
