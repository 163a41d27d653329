import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * First-response times read the conversations opened in a period with their first inbound and
 * first response (migration AnalyticsRollups): an index-only scan. Rebuilt CONCURRENTLY (so outside
 * a transaction) to keep the inbox writing meanwhile.
 */
export class AnalyticsRollupIndexes1795570000001 implements MigrationInterface {
  name = 'AnalyticsRollupIndexes1795570000001';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "conversations_org_created_at"`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "conversations_org_created_at" ON "conversations" ("org_id", "created_at")
       INCLUDE ("assignee_id", "first_inbound_at", "first_response_at", "first_responder_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "conversations_org_created_at"`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "conversations_org_created_at" ON "conversations" ("org_id", "created_at")
       INCLUDE ("id", "assignee_id")`,
    );
  }
}
