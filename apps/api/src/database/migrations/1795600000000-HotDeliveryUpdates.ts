import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets delivery statuses update messages in place (HOT: heap-only tuples). A `delivered` or `read`
 * changes `status` and a time, and PostgreSQL can skip every index only when no index names a
 * changed column, in its keys, INCLUDE list or predicate. Four did name `status`, so each status
 * wrote a new entry into all fourteen indexes of the biggest table. Now:
 *
 * - the queues of unsent messages say "queued" as "neither Meta's id nor an error" (`UNSENT_SQL`);
 * - failures are the messages with an error title (`FAILED_SQL`; titles filled in where missing);
 * - traffic analytics read `status` from the table, not the index: only for days the rollup has not
 *   counted, whose pages the statuses have just written anyway;
 * - new pages keep a fifth free, so a status's new row version fits beside the old one.
 *
 * Built CONCURRENTLY (so outside a transaction), each new index before its old one goes.
 */
export class HotDeliveryUpdates1795600000000 implements MigrationInterface {
  name = 'HotDeliveryUpdates1795600000000';
  transaction = false as const;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE messages SET error_title = 'WhatsApp gave no reason' WHERE status = 'failed' AND error_title IS NULL`,
    );
    await this.replace(queryRunner, {
      old: 'IDX_e1681b04eb7de1defa8ce75ff3',
      name: 'messages_unsent_created_at',
      definition: '("created_at") WHERE wa_message_id IS NULL AND error_title IS NULL',
    });
    await this.replace(queryRunner, {
      old: 'IDX_a0db371f95244979f18effee21',
      name: 'messages_unsent_campaign_id',
      definition: '("campaign_id") WHERE campaign_id IS NOT NULL AND wa_message_id IS NULL AND error_title IS NULL',
    });
    await this.replace(queryRunner, {
      old: 'messages_org_occurred_at',
      name: 'messages_org_occurred_at',
      definition: '("org_id", "occurred_at") INCLUDE ("direction", "error_code", "sender_id")',
    });
    await this.replace(queryRunner, {
      old: 'messages_org_failed_at',
      name: 'messages_org_failed_at',
      definition:
        '("org_id", "occurred_at") INCLUDE ("direction", "error_code", "error_title") WHERE error_title IS NOT NULL',
    });
    await queryRunner.query('ALTER TABLE "messages" SET (fillfactor = 80)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "messages" RESET (fillfactor)');
    await this.replace(queryRunner, {
      old: 'messages_org_failed_at',
      name: 'messages_org_failed_at',
      definition: `("org_id", "occurred_at") INCLUDE ("direction", "error_code", "error_title") WHERE status = 'failed'`,
    });
    await this.replace(queryRunner, {
      old: 'messages_org_occurred_at',
      name: 'messages_org_occurred_at',
      definition: '("org_id", "occurred_at") INCLUDE ("direction", "status", "error_code", "sender_id")',
    });
    await this.replace(queryRunner, {
      old: 'messages_unsent_campaign_id',
      name: 'IDX_a0db371f95244979f18effee21',
      definition: `("campaign_id") WHERE campaign_id IS NOT NULL AND status = 'queued'`,
    });
    await this.replace(queryRunner, {
      old: 'messages_unsent_created_at',
      name: 'IDX_e1681b04eb7de1defa8ce75ff3',
      definition: `("created_at") WHERE status = 'queued'`,
    });
  }

  /** Builds the new index beside the old one, then drops the old and gives the new its name. */
  private async replace(
    queryRunner: QueryRunner,
    index: { old: string; name: string; definition: string },
  ): Promise<void> {
    const building = `${index.name}_new`;
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${building}"`); // a build interrupted before
    await queryRunner.query(`CREATE INDEX CONCURRENTLY "${building}" ON "messages" ${index.definition}`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${index.old}"`);
    await queryRunner.query(`ALTER INDEX "${building}" RENAME TO "${index.name}"`);
  }
}
