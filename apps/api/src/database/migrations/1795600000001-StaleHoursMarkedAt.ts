import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each analytics mark was made: the rollup leaves a mark for ANALYTICS_ROLLUP_DELAY_MS before
 * recounting its day, so a day that keeps changing is recounted once per delay, not every round.
 */
export class StaleHoursMarkedAt1795600000001 implements MigrationInterface {
  name = 'StaleHoursMarkedAt1795600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "analytics_stale_hours" ADD "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analytics_stale_hours" DROP COLUMN "marked_at"`);
  }
}
