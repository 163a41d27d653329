import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-org retention of message bodies and files (RetentionService): how many days they are kept
 * (null: for ever), when the nightly pass last ran, and how far back it has cleared.
 */
export class OrgRetention1795590000002 implements MigrationInterface {
  name = 'OrgRetention1795590000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "organizations"
        ADD "message_retention_days" integer,
        ADD "retention_ran_at" TIMESTAMP(3) WITH TIME ZONE,
        ADD "retention_applied_until" TIMESTAMP(3) WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "organizations"
        DROP COLUMN "retention_applied_until", DROP COLUMN "retention_ran_at", DROP COLUMN "message_retention_days"`);
  }
}
