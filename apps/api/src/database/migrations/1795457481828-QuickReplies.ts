import { MigrationInterface, QueryRunner } from 'typeorm';

/** Quick replies: canned responses an org's team shares, one per shortcut. */
export class QuickReplies1795457481828 implements MigrationInterface {
  name = 'QuickReplies1795457481828';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "quick_replies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "shortcut" text NOT NULL,
                "text" text NOT NULL,
                "created_by" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_38e5f76733adc50f328c8c0f043" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_4743c978ead5606c90effd5f7e" ON "quick_replies" ("org_id", "shortcut")
        `);
    await queryRunner.query(`
            ALTER TABLE "quick_replies"
            ADD CONSTRAINT "FK_bd48cee3f06cfe67aecb45d47db" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "quick_replies"
            ADD CONSTRAINT "FK_6219eb3b6b5571c6877e01e4cb3" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "quick_replies" DROP CONSTRAINT "FK_6219eb3b6b5571c6877e01e4cb3"
        `);
    await queryRunner.query(`
            ALTER TABLE "quick_replies" DROP CONSTRAINT "FK_bd48cee3f06cfe67aecb45d47db"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4743c978ead5606c90effd5f7e"
        `);
    await queryRunner.query(`
            DROP TABLE "quick_replies"
        `);
  }
}
