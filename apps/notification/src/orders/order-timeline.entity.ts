import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrderStatus } from '@rocketmq-shop/contracts';

/** Where each order of a user stands, as told by order-lifecycle; what order notifications are written from. */
@Entity({ name: 'order_timelines' })
export class OrderTimeline {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  /** Version of the last order-lifecycle event applied to this order. */
  @Column({ type: 'int' })
  version!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
