import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every conversation has an activity time: the inbox sorts and pages by it, and NULLs would fall out of keyset paging. */
export class ConversationActivityRequired1795337965944 implements MigrationInterface {
  name = 'ConversationActivityRequired1795337965944';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "conversations" SET "last_message_at" = "created_at" WHERE "last_message_at" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "conversations" ALTER COLUMN "last_message_at" SET DEFAULT now()`);
    await queryRunner.query(`ALTER TABLE "conversations" ALTER COLUMN "last_message_at" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversations" ALTER COLUMN "last_message_at" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "conversations" ALTER COLUMN "last_message_at" DROP DEFAULT`);
  }
}
