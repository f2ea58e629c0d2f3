import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The catalog, seeded so the demo and the tests have something to sell; FLASH-001 is the flash-sale item. */
export class CreateProducts1796000000000 implements MigrationInterface {
  name = 'CreateProducts1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE products (
      sku varchar(64) PRIMARY KEY,
      name varchar(200) NOT NULL,
      price_cents int NOT NULL CHECK (price_cents >= 0),
      price_version int NOT NULL DEFAULT 1,
      stock int NOT NULL,
      -- The last line of defence against overselling: even a buggy UPDATE cannot take stock below zero.
      CONSTRAINT products_stock_not_negative CHECK (stock >= 0))`);
    await queryRunner.query(`INSERT INTO products (sku, name, price_cents, stock) VALUES
      ('FLASH-001', 'Flash-sale phone', 19900, 100),
      ('TSHIRT-RED', 'Red T-shirt', 1999, 500),
      ('MUG-CLASSIC', 'Classic mug', 1250, 300),
      ('BOOK-MQ', 'Messaging patterns (book)', 3900, 120),
      ('HEADPHONES-X', 'Headphones X', 8900, 40)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE products');
  }
}
