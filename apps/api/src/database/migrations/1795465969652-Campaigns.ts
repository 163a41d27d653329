import { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1795465969652 implements MigrationInterface {
  name = 'Campaigns1795465969652';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."campaign_status" AS ENUM(
                'draft',
                'scheduled',
                'running',
                'paused',
                'completed',
                'cancelled',
                'failed'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "campaigns" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "name" text NOT NULL,
                "status" "public"."campaign_status" NOT NULL DEFAULT 'draft',
                "status_reason" text,
                "phone_number_id" uuid NOT NULL,
                "template_id" uuid NOT NULL,
                "parameters" jsonb NOT NULL DEFAULT '{}',
                "audience" jsonb NOT NULL DEFAULT '{}',
                "scheduled_at" TIMESTAMP(3) WITH TIME ZONE,
                "timezone" text,
                "started_at" TIMESTAMP(3) WITH TIME ZONE,
                "completed_at" TIMESTAMP(3) WITH TIME ZONE,
                "unmatched_count" integer NOT NULL DEFAULT '0',
                "created_by" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_0507e4fd1cb2e2e71cccd37ac2" ON "campaigns" ("status")
            WHERE status = 'running'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_938e3260d6a95442e4e17c6df3" ON "campaigns" ("scheduled_at")
            WHERE status = 'scheduled'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ef447c26db9714c0f98bc7ed09" ON "campaigns" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."campaign_recipient_state" AS ENUM('pending', 'skipped', 'queued', 'cancelled')
        `);
    await queryRunner.query(`
            CREATE TABLE "campaign_recipients" (
                "id" BIGSERIAL NOT NULL,
                "org_id" uuid NOT NULL,
                "campaign_id" uuid NOT NULL,
                "contact_id" uuid NOT NULL,
                "phone" text NOT NULL,
                "state" "public"."campaign_recipient_state" NOT NULL DEFAULT 'pending',
                "skip_reason" text,
                "parameters" jsonb NOT NULL DEFAULT '{}',
                "message_id" uuid,
                CONSTRAINT "PK_30d346f6af084aa7b916945a4f1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_607db1500351ac75de5d2dac83" ON "campaign_recipients" ("message_id")
            WHERE message_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_2d4509a1eb0efb10692fa72d1c" ON "campaign_recipients" ("campaign_id", "id")
            WHERE state = 'pending'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_ccda9735f7e0486d96efe2045a" ON "campaign_recipients" ("campaign_id", "contact_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "waba_accounts"
            ADD "messaging_limit_tier" text
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "campaign_id" uuid
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a0db371f95244979f18effee21" ON "messages" ("campaign_id")
            WHERE campaign_id IS NOT NULL
                AND status = 'queued'
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD CONSTRAINT "FK_b67f026924d0e2b8f3d0e5a2d1f" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD CONSTRAINT "FK_cfc3136ed45cb6091ec50e8ed6c" FOREIGN KEY ("phone_number_id") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns"
            ADD CONSTRAINT "FK_e7710203c0b031e01de765c25e7" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_recipients"
            ADD CONSTRAINT "FK_37f67f778844dcc3a0d641a6173" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_recipients"
            ADD CONSTRAINT "FK_fa75aa29a9c3f1c980cde5dbf8e" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_recipients"
            ADD CONSTRAINT "FK_643b05318168b6cea1151a728f2" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "campaign_recipients" DROP CONSTRAINT "FK_643b05318168b6cea1151a728f2"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_recipients" DROP CONSTRAINT "FK_fa75aa29a9c3f1c980cde5dbf8e"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaign_recipients" DROP CONSTRAINT "FK_37f67f778844dcc3a0d641a6173"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns" DROP CONSTRAINT "FK_e7710203c0b031e01de765c25e7"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns" DROP CONSTRAINT "FK_cfc3136ed45cb6091ec50e8ed6c"
        `);
    await queryRunner.query(`
            ALTER TABLE "campaigns" DROP CONSTRAINT "FK_b67f026924d0e2b8f3d0e5a2d1f"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a0db371f95244979f18effee21"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "campaign_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "waba_accounts" DROP COLUMN "messaging_limit_tier"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ccda9735f7e0486d96efe2045a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_2d4509a1eb0efb10692fa72d1c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_607db1500351ac75de5d2dac83"
        `);
    await queryRunner.query(`
            DROP TABLE "campaign_recipients"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."campaign_recipient_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ef447c26db9714c0f98bc7ed09"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_938e3260d6a95442e4e17c6df3"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0507e4fd1cb2e2e71cccd37ac2"
        `);
    await queryRunner.query(`
            DROP TABLE "campaigns"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."campaign_status"
        `);
  }
}
