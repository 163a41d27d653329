import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outgoing webhooks: partners' subscriptions, each event's delivery to each, and every attempt. */
export class PartnerWebhooks1795580000000 implements MigrationInterface {
  name = 'PartnerWebhooks1795580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_subscriptions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "url" text NOT NULL,
                "events" text array NOT NULL,
                "description" text,
                "secret_sealed" text NOT NULL,
                "enabled" boolean NOT NULL DEFAULT true,
                "disabled_reason" text,
                "failure_streak" integer NOT NULL DEFAULT '0',
                "created_by_id" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3339343dab8eddc5bbb622beed" ON "webhook_subscriptions" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed')
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "subscription_id" uuid NOT NULL,
                "event_id" uuid NOT NULL,
                "event_type" text NOT NULL,
                "payload" jsonb NOT NULL,
                "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE DEFAULT now(),
                "last_status_code" integer,
                "last_error" text,
                "last_latency_ms" integer,
                "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_490a075f1cab45aa3069d11fa5" ON "webhook_deliveries" ("next_attempt_at")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_c67093efed5fc802de2c77414f" ON "webhook_deliveries" ("subscription_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery_attempts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "delivery_id" uuid NOT NULL,
                "attempt" integer NOT NULL,
                "status_code" integer,
                "error" text,
                "latency_ms" integer NOT NULL,
                CONSTRAINT "PK_59ef9124585b56c18b98548a0c6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_7cb191a8ef5167bf3e33cfa2ca" ON "webhook_delivery_attempts" ("delivery_id", "attempt")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_subscriptions"
            ADD CONSTRAINT "FK_28b1c65bf01e6b07ba5a09c0cf0" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_subscriptions"
            ADD CONSTRAINT "FK_fea88805d89a0854938f5a95c18" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "FK_6ee70d1a9efe966b770ed12e47b" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery_attempts"
            ADD CONSTRAINT "FK_984da9bf455e591d0cf626e76b8" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery_attempts"
            ADD CONSTRAINT "FK_647916c401c0c275df5f00c148f" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "FK_647916c401c0c275df5f00c148f"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "FK_984da9bf455e591d0cf626e76b8"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_6ee70d1a9efe966b770ed12e47b"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "FK_fea88805d89a0854938f5a95c18"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "FK_28b1c65bf01e6b07ba5a09c0cf0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7cb191a8ef5167bf3e33cfa2ca"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_delivery_attempts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_c67093efed5fc802de2c77414f"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_490a075f1cab45aa3069d11fa5"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."webhook_delivery_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3339343dab8eddc5bbb622beed"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_subscriptions"
        `);
  }
}
