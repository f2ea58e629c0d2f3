import type { MigrationInterface, QueryRunner } from 'typeorm';

const ONE_PURCHASE_PER_USER = 'purchases_one_per_user_per_sale';

export class CreatePurchases1796000000001 implements MigrationInterface {
  name = 'CreatePurchases1796000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE purchases (
      request_id uuid PRIMARY KEY,
      sale_id varchar(64) NOT NULL,
      user_id uuid NOT NULL,
      sku varchar(64) NOT NULL,
      quantity int NOT NULL CHECK (quantity >= 1),
      status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED')),
      reason text,
      requested_at timestamptz NOT NULL,
      decided_at timestamptz,
      CONSTRAINT ${ONE_PURCHASE_PER_USER} UNIQUE (sale_id, user_id))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE purchases');
  }
}
