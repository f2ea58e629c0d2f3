import { Column, Entity, PrimaryColumn } from 'typeorm';

export type Channel = 'email' | 'sms';
export type OrderedStream = 'contacts' | 'orders';
export type CounterName = `${Channel}.${'sent' | 'failed'}` | `${OrderedStream}.${'applied' | 'outOfOrder'}`;

/** Persisted so the numbers of /stats survive restarts (the out-of-order counter must provably stay 0). */
@Entity({ name: 'counters' })
export class Counter {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: CounterName;

  @Column({ type: 'bigint' })
  value!: string;
}
