import { MigrationInterface, QueryRunner } from 'typeorm';

/** Automation rules and their log, drip flows and their enrollments. */
export class Automation1795550100000 implements MigrationInterface {
  name = 'Automation1795550100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "reply_flow_id" uuid`);
    await queryRunner.query(`
            CREATE TABLE "automation_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "name" text NOT NULL,
                "enabled" boolean NOT NULL DEFAULT true,
                "position" integer NOT NULL,
                "trigger" jsonb NOT NULL,
                "conditions" jsonb NOT NULL DEFAULT '[]',
                "actions" jsonb NOT NULL,
                "stop_after_match" boolean NOT NULL DEFAULT true,
                "cooldown_seconds" integer NOT NULL DEFAULT '0',
                "preset" text,
                "round_robin_cursor" integer NOT NULL DEFAULT '0',
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_378bed501eacc036895837121c2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_452d7129f4aa766b5513b5cef7" ON "automation_rules" ("org_id", "position")
        `);
    await queryRunner.query(`
            CREATE TABLE "automation_runs" (
                "id" BIGSERIAL NOT NULL,
                "org_id" uuid NOT NULL,
                "rule_id" uuid NOT NULL,
                "trigger" text NOT NULL,
                "message_id" uuid,
                "conversation_id" uuid,
                "contact_id" uuid,
                "outcome" text NOT NULL,
                "results" jsonb NOT NULL DEFAULT '[]',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_273137fa78ff9340128ab98445f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_49cff71a1a92fef9078e9502af" ON "automation_runs" ("rule_id", "contact_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_686e2d3f7d7002a77e9b976204" ON "automation_runs" ("org_id", "conversation_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_db54774582be170430fd391722" ON "automation_runs" ("org_id", "rule_id", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_29bfd1000e504dd514a0219615" ON "automation_runs" ("rule_id", "message_id")
            WHERE message_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "flows" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "name" text NOT NULL,
                "enabled" boolean NOT NULL DEFAULT true,
                "steps" jsonb NOT NULL,
                "exit_rules" jsonb NOT NULL DEFAULT '{"onReply": true, "onResolve": true}',
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c346955f4318ef565e6928462fe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "flow_enrollments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "flow_id" uuid NOT NULL,
                "contact_id" uuid NOT NULL,
                "phone_number_id" uuid NOT NULL,
                "source" text NOT NULL,
                "status" text NOT NULL DEFAULT 'active',
                "step" integer NOT NULL DEFAULT '0',
                "seq" integer NOT NULL DEFAULT '0',
                "next_run_at" TIMESTAMP(3) WITH TIME ZONE,
                "awaiting_reply" boolean NOT NULL DEFAULT false,
                "exit_reason" text,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_fec36067ce8ff3e3697b7b5edac" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3d972c12c917cef0718270b454" ON "flow_enrollments" ("org_id", "flow_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1dc175602a1df459ff4adb16c8" ON "flow_enrollments" ("next_run_at")
            WHERE status = 'active'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ef4eeb75a296a0ae2f74f77884" ON "flow_enrollments" ("contact_id")
            WHERE status = 'active'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_5a8b84e8aea1df8d4919222f22" ON "flow_enrollments" ("flow_id", "contact_id")
            WHERE status = 'active'
        `);
    await queryRunner.query(`
            ALTER TABLE "automation_rules"
            ADD CONSTRAINT "FK_ae1c2b9a03e741bcd306630d4a0" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "automation_runs"
            ADD CONSTRAINT "FK_bfd6a7833abf029dd9091c7a54a" FOREIGN KEY ("rule_id") REFERENCES "automation_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "flows"
            ADD CONSTRAINT "FK_22134788d7d3058175c4d17c123" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments"
            ADD CONSTRAINT "FK_bc2ce92c04fbd2b41bd9eaa78dc" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments"
            ADD CONSTRAINT "FK_a7a14e5320b080a3aa1ef9de040" FOREIGN KEY ("flow_id") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments"
            ADD CONSTRAINT "FK_1b49356dd5147df748df64630e5" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments"
            ADD CONSTRAINT "FK_d011ec0d59b33306f1dcb7c23dc" FOREIGN KEY ("phone_number_id") REFERENCES "phone_numbers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "reply_flow_id"`);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments" DROP CONSTRAINT "FK_d011ec0d59b33306f1dcb7c23dc"
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments" DROP CONSTRAINT "FK_1b49356dd5147df748df64630e5"
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments" DROP CONSTRAINT "FK_a7a14e5320b080a3aa1ef9de040"
        `);
    await queryRunner.query(`
            ALTER TABLE "flow_enrollments" DROP CONSTRAINT "FK_bc2ce92c04fbd2b41bd9eaa78dc"
        `);
    await queryRunner.query(`
            ALTER TABLE "flows" DROP CONSTRAINT "FK_22134788d7d3058175c4d17c123"
        `);
    await queryRunner.query(`
            ALTER TABLE "automation_runs" DROP CONSTRAINT "FK_bfd6a7833abf029dd9091c7a54a"
        `);
    await queryRunner.query(`
            ALTER TABLE "automation_rules" DROP CONSTRAINT "FK_ae1c2b9a03e741bcd306630d4a0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5a8b84e8aea1df8d4919222f22"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ef4eeb75a296a0ae2f74f77884"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1dc175602a1df459ff4adb16c8"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3d972c12c917cef0718270b454"
        `);
    await queryRunner.query(`
            DROP TABLE "flow_enrollments"
        `);
    await queryRunner.query(`
            DROP TABLE "flows"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_29bfd1000e504dd514a0219615"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_db54774582be170430fd391722"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_686e2d3f7d7002a77e9b976204"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_49cff71a1a92fef9078e9502af"
        `);
    await queryRunner.query(`
            DROP TABLE "automation_runs"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_452d7129f4aa766b5513b5cef7"
        `);
    await queryRunner.query(`
            DROP TABLE "automation_rules"
        `);
  }
}
