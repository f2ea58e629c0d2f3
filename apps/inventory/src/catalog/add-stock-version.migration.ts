import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bumped with every stock change, so order replicas keep only the newest stock-levels event per SKU. */
export class AddStockVersion1796000000004 implements MigrationInterface {
  name = 'AddStockVersion1796000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE products ADD COLUMN stock_version int NOT NULL DEFAULT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE products DROP COLUMN stock_version');
  }
}
