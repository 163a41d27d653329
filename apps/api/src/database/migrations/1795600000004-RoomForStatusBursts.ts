import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New pages of messages are filled only half way, so every message on a page can take a status in
 * place (a heap-only update: no new entry in any index) within one transaction. Statuses come in
 * bursts for messages stored together: a campaign's `delivered`s arrive together for rows that share
 * pages. With a fifth free (HotDeliveryUpdates), a page took about a quarter of them in place; the
 * rest moved their row, wrote an entry into six indexes and locked the old row once more. Measured
 * with `npm run bench:ingestion` (1,000 webhooks/s): 99.8% of status updates in place against 28%,
 * WAL 13-16 kB per webhook against 15-28 kB; the heap is about 35% bigger, the indexes 5% smaller
 * (and they no longer grow with every status). Reads of the heap have more pages to go through:
 * analytics counted from the messages (`bench/analytics.mjs`, four runs) moved within the runs' own
 * noise (a 30-day overview 268 and 138 ms half full, 142 and 200 ms four-fifths full).
 *
 * Only pages written from now on are affected; existing ones keep their room until rewritten.
 */
export class RoomForStatusBursts1795600000004 implements MigrationInterface {
  name = 'RoomForStatusBursts1795600000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "messages" SET (fillfactor = 50)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "messages" SET (fillfactor = 80)');
  }
}
