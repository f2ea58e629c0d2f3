import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class User {
  /** Chosen before the half message is sent, so the broker's check-back can find the row by it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  phone!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The version of the last user-lifecycle event: 1 on registration, +1 per update and on deletion. */
  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Soft delete: the row, and with it the version, survives, so a DELETED event is never followed by a reused version. */
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}

/** The JSON shape of a user in HTTP answers. */
export interface UserView {
  userId: string;
  email: string;
  phone: string;
  name: string;
  version: number;
  /** When the user row was committed (ISO): the start of the registration → email / SMS timeline. */
  registeredAt: string;
}

export function toUserView({ id, email, phone, name, version, createdAt }: User): UserView {
  return { userId: id, email, phone, name, version, registeredAt: createdAt.toISOString() };
}
