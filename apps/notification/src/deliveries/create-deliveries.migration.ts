import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeliveries1797100000001 implements MigrationInterface {
  name = 'CreateDeliveries1797100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE deliveries (
      channel varchar(8) NOT NULL,
      message_id varchar(128) NOT NULL,
      user_id uuid NOT NULL,
      attempts int NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel, message_id))`);
    await queryRunner.query('CREATE INDEX deliveries_by_user ON deliveries (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deliveries');
  }
}
