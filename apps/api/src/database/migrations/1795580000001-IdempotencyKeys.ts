import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The answers of POSTs sent with an `Idempotency-Key`, per caller and key, for a day
 * (IdempotencyInterceptor). No entity: only that interceptor reads and writes it.
 */
export class IdempotencyKeys1795580000001 implements MigrationInterface {
  name = 'IdempotencyKeys1795580000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "scope" text NOT NULL,
        "key" text NOT NULL,
        "fingerprint" text NOT NULL,
        "status_code" integer,
        "response" jsonb,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        PRIMARY KEY ("scope", "key"))`);
    await queryRunner.query(`CREATE INDEX "idempotency_keys_created_at" ON "idempotency_keys" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
