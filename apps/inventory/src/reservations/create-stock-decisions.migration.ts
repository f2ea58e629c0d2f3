import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStockDecisions1796000000001 implements MigrationInterface {
  name = 'CreateStockDecisions1796000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE stock_decisions (
      request_id uuid PRIMARY KEY,
      kind varchar(16) NOT NULL CHECK (kind IN ('order', 'flash-sale')),
      lines jsonb NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('RESERVED', 'REJECTED')),
      reason text,
      decided_at timestamptz NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE stock_decisions');
  }
}
