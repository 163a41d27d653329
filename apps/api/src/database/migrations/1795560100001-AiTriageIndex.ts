import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The AI triage sweeper's path to customer messages that were never read (their job lost with
 * Redis): small, since triage fills `ai` within seconds. Built CONCURRENTLY (so outside a
 * transaction) to keep webhooks and sends writing to messages meanwhile; declared on the entity
 * with `synchronize: false`.
 */
export class AiTriageIndex1795560100001 implements MigrationInterface {
  name = 'AiTriageIndex1795560100001';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "messages_untriaged_inbound" ON "messages" ("created_at")
       WHERE direction = 'inbound' AND ai IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "messages_untriaged_inbound"`);
  }
}
