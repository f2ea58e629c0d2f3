import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1797000000000 implements MigrationInterface {
  name = 'CreateUsers1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE users (
      id uuid PRIMARY KEY,
      email varchar(320) NOT NULL,
      phone varchar(16) NOT NULL,
      name varchar(200) NOT NULL,
      version int NOT NULL CHECK (version >= 1),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz)`);
    // One live account per email. A registration that breaks it fails its local transaction, so its
    // half message is rolled back and nobody is notified: the scenario's "failed registration" path.
    await queryRunner.query('CREATE UNIQUE INDEX users_live_email ON users (lower(email)) WHERE deleted_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE users');
  }
}
