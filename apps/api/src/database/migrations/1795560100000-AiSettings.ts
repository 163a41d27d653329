import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-org AI triage settings: provider, model, sealed API key, intents, auto-triage, daily budget. */
export class AiSettings1795560100000 implements MigrationInterface {
  name = 'AiSettings1795560100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "ai_settings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "provider" text NOT NULL DEFAULT 'local',
                "base_url" text,
                "model" text,
                "api_key_encrypted" text,
                "api_key_hint" text NOT NULL DEFAULT '',
                "intents" jsonb NOT NULL,
                "auto_triage" boolean NOT NULL DEFAULT false,
                "daily_budget" integer NOT NULL DEFAULT '1000',
                "summary_after" integer NOT NULL DEFAULT '5',
                "timeout_ms" integer NOT NULL DEFAULT '20000',
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b6c95e8fdde441f7e72e1d4f10c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_65f028588bf6c4e868cc566eb2" ON "ai_settings" ("org_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "ai_settings"
            ADD CONSTRAINT "FK_65f028588bf6c4e868cc566eb2e" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "ai_settings" DROP CONSTRAINT "FK_65f028588bf6c4e868cc566eb2e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_65f028588bf6c4e868cc566eb2"
        `);
    await queryRunner.query(`
            DROP TABLE "ai_settings"
        `);
  }
}
