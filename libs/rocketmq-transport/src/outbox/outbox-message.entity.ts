import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message written in the same database transaction as the change it announces, published later. */
@Entity({ name: 'outbox_messages' })
@Index('outbox_messages_unpublished', ['id'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  /** Publication order: rows of one message group are published in id order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  tag!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  keys!: string[];

  @Column({ name: 'message_group', type: 'varchar', length: 64, nullable: true })
  messageGroup!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  properties!: Record<string, string>;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
