import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What automation, AI triage and analytics share: the org's time zone and business hours, whether
 * the bot still answers a conversation, and the AI's reading of messages and conversations.
 */
export class InsightsColumns1795550000000 implements MigrationInterface {
  name = 'InsightsColumns1795550000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "timezone" text NOT NULL DEFAULT 'UTC'`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD "business_hours" jsonb`);
    await queryRunner.query(`ALTER TABLE "conversations" ADD "bot_active" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "conversations" ADD "ai" jsonb`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "ai" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "ai"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP COLUMN "ai"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP COLUMN "bot_active"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "business_hours"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "timezone"`);
  }
}
