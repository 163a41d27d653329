import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the last check of each WABA's access token against Meta found, and when the next is due
 * (TokenHealthService). Existing accounts are due at once. No index: an org has a handful of accounts.
 */
export class WabaTokenHealth1795590000001 implements MigrationInterface {
  name = 'WabaTokenHealth1795590000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "waba_accounts"
        ADD "token_status" text NOT NULL DEFAULT 'unchecked',
        ADD "token_checked_at" TIMESTAMP(3) WITH TIME ZONE,
        ADD "token_expires_at" TIMESTAMP(3) WITH TIME ZONE,
        ADD "token_problem" text,
        ADD "token_check_due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "waba_accounts"
        DROP COLUMN "token_check_due_at", DROP COLUMN "token_problem", DROP COLUMN "token_expires_at",
        DROP COLUMN "token_checked_at", DROP COLUMN "token_status"`);
  }
}
