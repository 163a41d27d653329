import { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled messages: a template to one contact at a set time, sent by the worker's due scan. */
export class ScheduledMessages1795465973030 implements MigrationInterface {
  name = 'ScheduledMessages1795465973030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."scheduled_message_status" AS ENUM(
                'scheduled',
                'sending',
                'sent',
                'failed',
                'cancelled'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "scheduled_messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "contact_id" uuid NOT NULL,
                "phone_number_id" uuid NOT NULL,
                "template" jsonb NOT NULL,
                "scheduled_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "status" "public"."scheduled_message_status" NOT NULL DEFAULT 'scheduled',
                "message_id" uuid,
                "error_code" text,
                "error_message" text,
                "created_by" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7cd15ea89ad2fc7896baa748416" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_6b636d19cc3aca325159113c55" ON "scheduled_messages" ("contact_id", "scheduled_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_df280fb1e3db1db9ed988088d0" ON "scheduled_messages" ("org_id", "scheduled_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_832cf1d0c99ffee392e4290ebb" ON "scheduled_messages" ("updated_at")
            WHERE status = 'sending'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_36548fe2b619864a7e2f081fce" ON "scheduled_messages" ("scheduled_at")
            WHERE status = 'scheduled'
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages"
            ADD CONSTRAINT "FK_c99837f348db1991af8572e4e19" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages"
            ADD CONSTRAINT "FK_d36a88e49b92f82bc929d1c90f9" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages"
            ADD CONSTRAINT "FK_7cee6e4e67d7d1c7591116e048a" FOREIGN KEY ("phone_number_id") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages"
            ADD CONSTRAINT "FK_a65773060bcb88b696c8d11e063" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages" DROP CONSTRAINT "FK_a65773060bcb88b696c8d11e063"
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages" DROP CONSTRAINT "FK_7cee6e4e67d7d1c7591116e048a"
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages" DROP CONSTRAINT "FK_d36a88e49b92f82bc929d1c90f9"
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_messages" DROP CONSTRAINT "FK_c99837f348db1991af8572e4e19"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_36548fe2b619864a7e2f081fce"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_832cf1d0c99ffee392e4290ebb"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_df280fb1e3db1db9ed988088d0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6b636d19cc3aca325159113c55"
        `);
    await queryRunner.query(`
            DROP TABLE "scheduled_messages"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."scheduled_message_status"
        `);
  }
}
