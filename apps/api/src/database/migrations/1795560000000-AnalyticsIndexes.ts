import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the analytics reports read through, each led by org_id. Built CONCURRENTLY (so outside a
 * transaction): messages is the biggest, busiest table, and a plain CREATE INDEX would hold its
 * writes (webhooks, sends) for as long as the build takes. Declared on the entities with
 * `synchronize: false` (TypeORM can't describe INCLUDE columns).
 */
export class AnalyticsIndexes1795560000000 implements MigrationInterface {
  name = 'AnalyticsIndexes1795560000000';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Traffic by day, direction, status and error code, and messages per sender: index-only scans.
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "messages_org_occurred_at" ON "messages" ("org_id", "occurred_at")
       INCLUDE ("direction", "status", "error_code", "sender_id")`,
    );
    // Failures with Meta's titles and the AI's readings, index-only; template sends. Each holds only those rows.
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "messages_org_failed_at" ON "messages" ("org_id", "occurred_at")
       INCLUDE ("direction", "error_code", "error_title") WHERE status = 'failed'`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "messages_org_analysed_at" ON "messages" ("org_id", "occurred_at")
       INCLUDE ("ai") WHERE ai IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "messages_org_template_at" ON "messages" ("org_id", "occurred_at")
       WHERE type = 'template'`,
    );
    // A conversation's first message each way (first-response times): two index-only probes.
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "messages_conversation_direction_occurred_at"
       ON "messages" ("conversation_id", "direction", "occurred_at") INCLUDE ("sender_id", "campaign_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "conversations_org_created_at" ON "conversations" ("org_id", "created_at")
       INCLUDE ("id", "assignee_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "conversations_org_resolved_at" ON "conversations" ("org_id", "resolved_at")
       INCLUDE ("created_at", "assignee_id") WHERE resolved_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "contacts_org_opted_out_at" ON "contacts" ("org_id", "opt_in_changed_at")
       WHERE opt_in_status = 'opted_out'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'contacts_org_opted_out_at',
      'conversations_org_resolved_at',
      'conversations_org_created_at',
      'messages_conversation_direction_occurred_at',
      'messages_org_template_at',
      'messages_org_analysed_at',
      'messages_org_failed_at',
      'messages_org_occurred_at',
    ])
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${index}"`);
  }
}
