import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Channel } from '../stats/counter.entity';

/** One welcome notification handed to a provider; the key makes a second row for a message impossible. */
@Entity({ name: 'deliveries' })
export class Delivery {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  channel!: Channel;

  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 128 })
  messageId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** The delivery attempt that succeeded: 1 when the provider worked the first time. */
  @Column({ type: 'int' })
  attempts!: number;

  @CreateDateColumn({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;
}

export interface DeliveryView {
  channel: Channel;
  userId: string;
  messageId: string;
  attempts: number;
  sentAt: string;
}

export function toDeliveryView({ channel, userId, messageId, attempts, sentAt }: Delivery): DeliveryView {
  return { channel, userId, messageId, attempts, sentAt: sentAt.toISOString() };
}
