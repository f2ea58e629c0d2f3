import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each product's current price was set, so a price snapshot repeats the real time of the change
 * instead of presenting an old price as new. Seed prices count from this migration.
 */
export class AddPriceChangedAt1796000000002 implements MigrationInterface {
  name = 'AddPriceChangedAt1796000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE products ADD COLUMN price_changed_at timestamptz NOT NULL DEFAULT now()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE products DROP COLUMN price_changed_at');
  }
}
