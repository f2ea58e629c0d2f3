import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { ProcessedMessage } from './processed-message.entity';

/**
 * Runs `work` at most once per (consumer group, key), in one database transaction with the record
 * that it ran: if the transaction commits, a redelivered message is skipped; if it fails, nothing is
 * recorded and the retry runs the work again. Concurrent duplicates serialise on the primary key.
 */
export async function consumeOnce<T>(
  dataSource: DataSource,
  consumerGroup: string,
  messageKey: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<{ duplicate: true } | { duplicate: false; result: T }> {
  return dataSource.transaction(async (manager) => {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ProcessedMessage)
      .values({ consumerGroup, messageKey })
      .orIgnore()
      .returning(['consumer_group'])
      .execute();
    if (inserted.raw.length === 0) return { duplicate: true } as const;
    return { duplicate: false, result: await work(manager) } as const;
  });
}

/** Migration creating `processed_messages` in the service's schema; add it to the service's migrations. */
export class CreateProcessedMessages1795000000000 implements MigrationInterface {
  name = 'CreateProcessedMessages1795000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = qualified(queryRunner);
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS ${table} (consumer_group varchar(64) NOT NULL, message_key varchar(128) NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer_group, message_key))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${qualified(queryRunner)}`);
  }
}

function qualified(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}"."processed_messages"` : '"processed_messages"';
}
