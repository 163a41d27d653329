import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messaging core: media, private notes, templates, the send path's columns on messages
 * (idempotency, attempts, the send lease), opt-out keyword settings, contact erasure, and the
 * trigram and GIN indexes behind contact search and tag filters.
 */
export class MessagingCore1795450586248 implements MigrationInterface {
  name = 'MessagingCore1795450586248';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension (PostgreSQL 13+) and offered by every managed PostgreSQL.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "contacts_name_trgm" ON "contacts" USING gin ("name" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "contacts_profile_name_trgm" ON "contacts" USING gin ("profile_name" gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX "contacts_phone_trgm" ON "contacts" USING gin ("phone" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "contacts_tags_gin" ON "contacts" USING gin ("tags")`);
    await queryRunner.query(`
            CREATE TABLE "media" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "kind" text NOT NULL,
                "mime_type" text NOT NULL,
                "size_bytes" integer,
                "sha256" text,
                "filename" text,
                "storage_key" text,
                "status" text NOT NULL DEFAULT 'stored',
                "error" text,
                "wa_media_id" text,
                "phone_number_id" uuid,
                "wa_uploaded_at" TIMESTAMP(3) WITH TIME ZONE,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f4e0fcac36e050de337b670d8bd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5ec49dccaebc072f46c94ed532" ON "media" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "notes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "conversation_id" uuid NOT NULL,
                "author_id" uuid,
                "body" text NOT NULL,
                CONSTRAINT "PK_af6206538ea96c4e77e9f400c3d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_b6c371a69ea27492465f41e92c" ON "notes" ("conversation_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "templates" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "waba_account_id" uuid NOT NULL,
                "meta_template_id" text,
                "name" text NOT NULL,
                "language" text NOT NULL,
                "category" text NOT NULL,
                "status" text NOT NULL,
                "parameter_format" text NOT NULL DEFAULT 'POSITIONAL',
                "components" jsonb NOT NULL DEFAULT '[]',
                "rejected_reason" text,
                "quality_score" text,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_515948649ce0bbbe391de702ae5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9f49141f0d4abc9c4b12fcfbf4" ON "templates" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_8b140da508cca0bfebea64017a" ON "templates" ("waba_account_id", "name", "language")
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "opt_out_keywords" text array
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "opt_in_keywords" text array
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "opt_out_reply" text
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations"
            ADD "opt_in_reply" text
        `);
    await queryRunner.query(`
            ALTER TABLE "contacts"
            ADD "erased_at" TIMESTAMP(3) WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "media_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "sender_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "idempotency_key" text
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "request_hash" text
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "send_attempts" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "sending_at" TIMESTAMP(3) WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e1681b04eb7de1defa8ce75ff3" ON "messages" ("created_at")
            WHERE status = 'queued'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_0b3d77f44e6e50105a47808480" ON "messages" ("org_id", "idempotency_key")
            WHERE idempotency_key IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a3613dec227220d7eaba9a438d" ON "messages" ("media_id")
            WHERE media_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_28d5061e63315779d0cd38a965" ON "media" ("created_at")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            ALTER TABLE "media"
            ADD CONSTRAINT "FK_c65e6552a1691f1b1b7f1928ffa" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "media"
            ADD CONSTRAINT "FK_adea8b80d6387b6f189e041b12d" FOREIGN KEY ("phone_number_id") REFERENCES "phone_numbers"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_a3ad437aa7b8f8a5a9093819aea" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_22133395bd13b970ccd0c34ab22" FOREIGN KEY ("sender_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notes"
            ADD CONSTRAINT "FK_ce3fe04134cfa0db3de929434a8" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notes"
            ADD CONSTRAINT "FK_baf6866c4e867d6e8f38826992b" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notes"
            ADD CONSTRAINT "FK_35b89a50cb9203dccff44136519" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "templates"
            ADD CONSTRAINT "FK_cdf32981fabd206bed2754ded98" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "templates"
            ADD CONSTRAINT "FK_b0fae784c18d2f82c6076c6f513" FOREIGN KEY ("waba_account_id") REFERENCES "waba_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'contacts_name_trgm',
      'contacts_profile_name_trgm',
      'contacts_phone_trgm',
      'contacts_tags_gin',
    ])
      await queryRunner.query(`DROP INDEX "public"."${index}"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_28d5061e63315779d0cd38a965"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a3613dec227220d7eaba9a438d"`);
    await queryRunner.query(`
            ALTER TABLE "templates" DROP CONSTRAINT "FK_b0fae784c18d2f82c6076c6f513"
        `);
    await queryRunner.query(`
            ALTER TABLE "templates" DROP CONSTRAINT "FK_cdf32981fabd206bed2754ded98"
        `);
    await queryRunner.query(`
            ALTER TABLE "notes" DROP CONSTRAINT "FK_35b89a50cb9203dccff44136519"
        `);
    await queryRunner.query(`
            ALTER TABLE "notes" DROP CONSTRAINT "FK_baf6866c4e867d6e8f38826992b"
        `);
    await queryRunner.query(`
            ALTER TABLE "notes" DROP CONSTRAINT "FK_ce3fe04134cfa0db3de929434a8"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_22133395bd13b970ccd0c34ab22"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_a3ad437aa7b8f8a5a9093819aea"
        `);
    await queryRunner.query(`
            ALTER TABLE "media" DROP CONSTRAINT "FK_adea8b80d6387b6f189e041b12d"
        `);
    await queryRunner.query(`
            ALTER TABLE "media" DROP CONSTRAINT "FK_c65e6552a1691f1b1b7f1928ffa"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0b3d77f44e6e50105a47808480"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e1681b04eb7de1defa8ce75ff3"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "sending_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "send_attempts"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "request_hash"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "idempotency_key"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "sender_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "media_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "contacts" DROP COLUMN "erased_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "opt_in_reply"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "opt_out_reply"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "opt_in_keywords"
        `);
    await queryRunner.query(`
            ALTER TABLE "organizations" DROP COLUMN "opt_out_keywords"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8b140da508cca0bfebea64017a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9f49141f0d4abc9c4b12fcfbf4"
        `);
    await queryRunner.query(`
            DROP TABLE "templates"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_b6c371a69ea27492465f41e92c"
        `);
    await queryRunner.query(`
            DROP TABLE "notes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5ec49dccaebc072f46c94ed532"
        `);
    await queryRunner.query(`
            DROP TABLE "media"
        `);
  }
}
