import { STOCK_RESULT_STATUSES } from '@rocketmq-shop/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StockDecisionStatus = (typeof STOCK_RESULT_STATUSES)[number];
export type StockRequestKind = 'order' | 'flash-sale';

export interface StockLine {
  sku: string;
  quantity: number;
}

/**
 * Inventory's answer to one order or purchase request. The primary key on the request id makes a
 * second answer impossible, so a redelivered request can never take stock twice.
 */
@Entity({ name: 'stock_decisions' })
export class StockDecision {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: StockRequestKind;

  @Column({ type: 'jsonb' })
  lines!: StockLine[];

  /** RESERVED: the lines' stock was taken; REJECTED: nothing was taken. */
  @Column({ type: 'varchar', length: 16 })
  status!: StockDecisionStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  /** A cancelled order's reservation given back; set once, so a repeated cancellation returns nothing twice. */
  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;
}
