import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1796000000000 implements MigrationInterface {
  name = 'CreateOrders1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE orders (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL,
      items jsonb NOT NULL,
      total_cents int NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'PAID', 'CANCELLED')),
      version int NOT NULL,
      reason text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await queryRunner.query('CREATE INDEX orders_by_user ON orders (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE orders');
  }
}
