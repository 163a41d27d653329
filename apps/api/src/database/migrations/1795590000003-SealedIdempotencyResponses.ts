import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key answers are now sealed (SecretBox, a JSON string). Answers recorded before were
 * plain JSON, possibly holding a secret shown once (a new API key): they are dropped, which only
 * means a retry within their remaining day runs again instead of being replayed.
 */
export class SealedIdempotencyResponses1795590000003 implements MigrationInterface {
  name = 'SealedIdempotencyResponses1795590000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "idempotency_keys" WHERE "response" IS NOT NULL AND jsonb_typeof("response") <> 'string'`,
    );
  }

  public async down(): Promise<void> {
    // Nothing to restore: the dropped answers were at most a day old.
  }
}
