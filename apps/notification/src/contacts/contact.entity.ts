import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Notification's own copy of a user's contact details, kept in step with user-lifecycle. */
@Entity({ name: 'contacts' })
export class Contact {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  // Empty only for a user whose first event seen was a DELETED (a gap, counted as out of order).
  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  /** Version of the last user-lifecycle event applied. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'boolean', default: false })
  deleted!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
