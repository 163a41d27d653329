import { MigrationInterface, QueryRunner } from 'typeorm';

export class Messaging1795335289651 implements MigrationInterface {
  name = 'Messaging1795335289651';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."opt_in_status" AS ENUM('opted_in', 'opted_out', 'unknown')
        `);
    await queryRunner.query(`
            CREATE TABLE "contacts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "phone" text NOT NULL,
                "wa_id" text NOT NULL,
                "name" text,
                "profile_name" text,
                "tags" text array NOT NULL DEFAULT '{}',
                "attributes" jsonb NOT NULL DEFAULT '{}',
                "opt_in_status" "public"."opt_in_status" NOT NULL DEFAULT 'unknown',
                "opt_in_source" text,
                "opt_in_changed_at" TIMESTAMP(3) WITH TIME ZONE,
                "last_inbound_at" TIMESTAMP(3) WITH TIME ZONE,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9fe4550326e2fbc0e775279f05" ON "contacts" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_7f8867af07f02895fef69e2db2" ON "contacts" ("org_id", "phone")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."conversation_status" AS ENUM('open', 'pending', 'resolved')
        `);
    await queryRunner.query(`
            CREATE TABLE "conversations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "contact_id" uuid NOT NULL,
                "phone_number_id" uuid NOT NULL,
                "status" "public"."conversation_status" NOT NULL DEFAULT 'open',
                "assignee_id" uuid,
                "unread_count" integer NOT NULL DEFAULT '0',
                "last_message_at" TIMESTAMP(3) WITH TIME ZONE,
                "last_message_preview" text,
                "last_inbound_at" TIMESTAMP(3) WITH TIME ZONE,
                "resolved_at" TIMESTAMP(3) WITH TIME ZONE,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3e605129623b629ddd0583740d" ON "conversations" ("contact_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_7aa89e91281221c40f2342c703" ON "conversations" ("org_id", "assignee_id", "last_message_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_20e30e4d4129abba23b443f087" ON "conversations" ("org_id", "status", "last_message_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9c23461297fd505830e8190455" ON "conversations" ("org_id", "last_message_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_7e4cc42d0a013ef2b62aa68262" ON "conversations" ("phone_number_id", "contact_id")
            WHERE status <> 'resolved'
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."message_direction" AS ENUM('inbound', 'outbound')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."message_status" AS ENUM(
                'received',
                'queued',
                'sent',
                'delivered',
                'read',
                'failed'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "conversation_id" uuid NOT NULL,
                "contact_id" uuid NOT NULL,
                "phone_number_id" uuid NOT NULL,
                "direction" "public"."message_direction" NOT NULL,
                "type" text NOT NULL,
                "status" "public"."message_status" NOT NULL,
                "wa_message_id" text,
                "body" text NOT NULL DEFAULT '',
                "payload" jsonb NOT NULL,
                "context_wa_message_id" text,
                "context_message_id" uuid,
                "reactions" jsonb NOT NULL DEFAULT '[]',
                "error_code" integer,
                "error_title" text,
                "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "sent_at" TIMESTAMP(3) WITH TIME ZONE,
                "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
                "read_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_8814dd7cc2f1059209e4f00e2d" ON "messages" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5deeed58d981db539765baebd5" ON "messages" ("conversation_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_a89d5b5b13a6ffb72b69674bd1" ON "messages" ("phone_number_id", "wa_message_id")
            WHERE wa_message_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "message_status_events" (
                "id" BIGSERIAL NOT NULL,
                "org_id" uuid NOT NULL,
                "phone_number_id" uuid NOT NULL,
                "wa_message_id" text NOT NULL,
                "status" text NOT NULL,
                "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "pricing" jsonb,
                "errors" jsonb,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8315fd1503b59bcdb37e5412ccf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_0fdce31175110220340973e4cc" ON "message_status_events" ("org_id", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_6a925482c3fab1b06b2f0aa326" ON "message_status_events" ("phone_number_id", "wa_message_id", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_events" (
                "id" BIGSERIAL NOT NULL,
                "org_id" uuid NOT NULL,
                "waba_account_id" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "payload" jsonb NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_4cba37e6a0acb5e1fc49c34ebfd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d3007eb7a18264916ddcb79604" ON "webhook_events" ("org_id", "status", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_84b543c7f2ff75028037491a9a" ON "webhook_events" ("org_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3c7531a4e997b0b084746b11e2" ON "webhook_events" ("status", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "contacts"
            ADD CONSTRAINT "FK_1d08650bc5dee86e125aa413a13" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations"
            ADD CONSTRAINT "FK_a33a65fd25c48fd0de13be21b62" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations"
            ADD CONSTRAINT "FK_3e605129623b629ddd0583740db" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations"
            ADD CONSTRAINT "FK_c7a09e158719fa45500ad32de9c" FOREIGN KEY ("phone_number_id") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations"
            ADD CONSTRAINT "FK_eb33c4841a61e998a8c906fbcf1" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_52f72a2dc840864bb905c4cbe1b" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_3bc55a7c3f9ed54b520bb5cfe23" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "message_status_events"
            ADD CONSTRAINT "FK_f66689f445ef98b7b68251db88a" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_events"
            ADD CONSTRAINT "FK_5460511ac77c815617f9e8dd05c" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_events"
            ADD CONSTRAINT "FK_d951e2a2e2a67632b587ce1faa3" FOREIGN KEY ("waba_account_id") REFERENCES "waba_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_events" DROP CONSTRAINT "FK_d951e2a2e2a67632b587ce1faa3"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_events" DROP CONSTRAINT "FK_5460511ac77c815617f9e8dd05c"
        `);
    await queryRunner.query(`
            ALTER TABLE "message_status_events" DROP CONSTRAINT "FK_f66689f445ef98b7b68251db88a"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_3bc55a7c3f9ed54b520bb5cfe23"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_52f72a2dc840864bb905c4cbe1b"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations" DROP CONSTRAINT "FK_eb33c4841a61e998a8c906fbcf1"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations" DROP CONSTRAINT "FK_c7a09e158719fa45500ad32de9c"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations" DROP CONSTRAINT "FK_3e605129623b629ddd0583740db"
        `);
    await queryRunner.query(`
            ALTER TABLE "conversations" DROP CONSTRAINT "FK_a33a65fd25c48fd0de13be21b62"
        `);
    await queryRunner.query(`
            ALTER TABLE "contacts" DROP CONSTRAINT "FK_1d08650bc5dee86e125aa413a13"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3c7531a4e997b0b084746b11e2"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_84b543c7f2ff75028037491a9a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d3007eb7a18264916ddcb79604"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6a925482c3fab1b06b2f0aa326"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0fdce31175110220340973e4cc"
        `);
    await queryRunner.query(`
            DROP TABLE "message_status_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a89d5b5b13a6ffb72b69674bd1"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5deeed58d981db539765baebd5"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8814dd7cc2f1059209e4f00e2d"
        `);
    await queryRunner.query(`
            DROP TABLE "messages"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."message_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."message_direction"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7e4cc42d0a013ef2b62aa68262"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9c23461297fd505830e8190455"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_20e30e4d4129abba23b443f087"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7aa89e91281221c40f2342c703"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3e605129623b629ddd0583740d"
        `);
    await queryRunner.query(`
            DROP TABLE "conversations"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."conversation_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7f8867af07f02895fef69e2db2"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9fe4550326e2fbc0e775279f05"
        `);
    await queryRunner.query(`
            DROP TABLE "contacts"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."opt_in_status"
        `);
  }
}
