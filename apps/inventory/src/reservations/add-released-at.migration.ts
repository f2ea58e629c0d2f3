import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a cancelled order's reserved stock was given back; null while it is still held. */
export class AddReleasedAt1796000000003 implements MigrationInterface {
  name = 'AddReleasedAt1796000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE stock_decisions ADD COLUMN released_at timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE stock_decisions DROP COLUMN released_at');
  }
}
