import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCounters1797100000000 implements MigrationInterface {
  name = 'CreateCounters1797100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE counters (name varchar(64) PRIMARY KEY, value bigint NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE counters');
  }
}
