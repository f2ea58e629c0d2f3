import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrderTimelines1797100000003 implements MigrationInterface {
  name = 'CreateOrderTimelines1797100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE order_timelines (
      order_id uuid PRIMARY KEY,
      user_id uuid NOT NULL,
      status varchar(16) NOT NULL,
      version int NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query('CREATE INDEX order_timelines_by_user ON order_timelines (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE order_timelines');
  }
}
