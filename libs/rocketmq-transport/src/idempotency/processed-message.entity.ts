import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per message a consumer group has processed; the primary key makes a redelivery a no-op. */
@Entity({ name: 'processed_messages' })
export class ProcessedMessage {
  @PrimaryColumn({ name: 'consumer_group', type: 'varchar', length: 64 })
  consumerGroup!: string;

  /** The message id, or a business key when a producer may publish the same fact twice. */
  @PrimaryColumn({ name: 'message_key', type: 'varchar', length: 128 })
  messageKey!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
