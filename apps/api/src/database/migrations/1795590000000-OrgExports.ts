import { MigrationInterface, QueryRunner } from 'typeorm';

/** Full org exports (GDPR portability): each request, its progress and its archive; the worker's queue too. */
export class OrgExports1795590000000 implements MigrationInterface {
  name = 'OrgExports1795590000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."org_export_status" AS ENUM('queued', 'running', 'ready', 'failed', 'expired')
        `);
    await queryRunner.query(`
            CREATE TABLE "org_exports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "status" "public"."org_export_status" NOT NULL DEFAULT 'queued',
                "requested_by_type" text NOT NULL,
                "requested_by_id" uuid,
                "tables_done" integer NOT NULL DEFAULT '0',
                "tables_total" integer NOT NULL DEFAULT '0',
                "rows_written" bigint NOT NULL DEFAULT '0',
                "size_bytes" bigint,
                "storage_key" text,
                "error" text,
                "attempts" integer NOT NULL DEFAULT '0',
                "lease_expires_at" TIMESTAMP(3) WITH TIME ZONE,
                "started_at" TIMESTAMP(3) WITH TIME ZONE,
                "finished_at" TIMESTAMP(3) WITH TIME ZONE,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_5b7f147e776c124f9d1018f515e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_7cc3d8945c5b569d60c20b9cde" ON "org_exports" ("expires_at")
            WHERE status = 'ready'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_baab6803622e24d728888823f2" ON "org_exports" ("created_at")
            WHERE status IN ('queued', 'running')
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_91175370a5f3d23d5a4e969a11" ON "org_exports" ("org_id")
            WHERE status IN ('queued', 'running')
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_fb575b97601367e61fd8abcce1" ON "org_exports" ("org_id", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "org_exports"
            ADD CONSTRAINT "FK_ef668a5b506ab9a14c604f0eb0a" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "org_exports" DROP CONSTRAINT "FK_ef668a5b506ab9a14c604f0eb0a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_fb575b97601367e61fd8abcce1"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_91175370a5f3d23d5a4e969a11"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_baab6803622e24d728888823f2"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7cc3d8945c5b569d60c20b9cde"
        `);
    await queryRunner.query(`
            DROP TABLE "org_exports"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."org_export_status"
        `);
  }
}
