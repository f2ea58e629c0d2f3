import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateContacts1797100000002 implements MigrationInterface {
  name = 'CreateContacts1797100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE contacts (
      user_id uuid PRIMARY KEY,
      email varchar(320),
      phone varchar(16),
      name varchar(200),
      version int NOT NULL,
      deleted boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE contacts');
  }
}
