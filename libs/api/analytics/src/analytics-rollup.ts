import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@parley/api/core';
import { DataSource, type QueryRunner } from 'typeorm';
import { COUNT_DAILY_STATS_SQL, DAILY_STATS_COLUMNS } from './daily-stats';
import { PgTimeZones } from './time-zones';

/** One rollup at a time across every worker: two recounting the same day would both insert its rows. */
const LOCK_KEY = 7_106_201;
/** Stale hours claimed per round. */
const BATCH = 2_000;
/** How long a round waits for the transactions running at its claim to end before leaving it to the next. */
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 20;

/** The days in each org's time zone that a set of changed UTC hours fall in (an hour may straddle two in half-hour zones). */
const SPANS_SQL = `
  SELECT DISTINCT x.org_id, local.day::text AS day,
         local.day::timestamp AT TIME ZONE x.zone AS start_at, (local.day + 1)::timestamp AT TIME ZONE x.zone AS end_at
  FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS x(org_id, zone, hour)
  CROSS JOIN LATERAL (VALUES ((x.hour AT TIME ZONE x.zone)::date),
                             (((x.hour + interval '1 hour' - interval '1 millisecond') AT TIME ZONE x.zone)::date)) AS local(day)`;

interface Span {
  org_id: string;
  day: string;
  start_at: Date;
  end_at: Date;
}

/**
 * Keeps `message_stats_daily` (migration AnalyticsRollups): recounts, from the messages, the days
 * holding hours the triggers marked stale. A round claims marks, waits until every transaction that
 * was running at the claim has ended (one of them may have changed a message and seen the mark
 * still unclaimed), then recounts the claimed days and drops their marks in one transaction.
 */
@Injectable()
export class AnalyticsRollup {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly zones: PgTimeZones,
    private readonly config: AppConfig,
  ) {}

  /** Rounds until nothing is stale (or another worker is at it). Resolves how many days were recounted. */
  async catchUp(): Promise<number> {
    let days = 0;
    for (;;) {
      const round = await this.round();
      days += round.days;
      if (!round.more) return days;
    }
  }

  private async round(): Promise<{ days: number; more: boolean }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }]: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        LOCK_KEY,
      ]);
      if (!locked) return { days: 0, more: false };
      try {
        const claimed = await this.claim(runner);
        if (!(await this.settled(runner))) return { days: 0, more: false };
        return { days: await this.recount(runner), more: claimed === BATCH };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Claims a batch of marks that waited their delay (committed at once, so new changes mark their
   * hours again, and wait in turn).
   */
  private async claim(runner: QueryRunner): Promise<number> {
    const [, count]: [unknown, number] = await runner.query(
      `UPDATE analytics_stale_hours SET claimed = true
       WHERE id IN (SELECT id FROM analytics_stale_hours
                    WHERE NOT claimed AND marked_at <= now() - $2 * interval '1 millisecond' ORDER BY id LIMIT $1)`,
      [BATCH, this.config.ANALYTICS_ROLLUP_DELAY_MS],
    );
    return count;
  }

  /** Waits until every transaction running now has ended; false if that takes too long. */
  private async settled(runner: QueryRunner): Promise<boolean> {
    const [{ horizon }]: { horizon: string }[] = await runner.query(
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS horizon',
    );
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const [{ settled }]: { settled: boolean }[] = await runner.query(
        'SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS settled',
        [horizon],
      );
      if (settled) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  /** Recounts the days of every claimed mark and drops the marks, all or nothing. */
  private async recount(runner: QueryRunner): Promise<number> {
    await runner.startTransaction();
    try {
      const hours: { org_id: string; timezone: string; hour: Date }[] = await runner.query(
        `WITH done AS (DELETE FROM analytics_stale_hours WHERE claimed RETURNING org_id, hour)
         SELECT DISTINCT d.org_id, o.timezone, d.hour FROM done d JOIN organizations o ON o.id = d.org_id`,
      );
      const zones = await Promise.all(hours.map((h) => this.zones.orgZone(h.timezone)));
      const spans: Span[] = await runner.query(SPANS_SQL, [
        hours.map((h) => h.org_id),
        zones,
        hours.map((h) => h.hour),
      ]);
      const orgIds = spans.map((s) => s.org_id);
      const days = spans.map((s) => s.day);
      await runner.query(
        `DELETE FROM message_stats_daily s USING unnest($1::uuid[], $2::date[]) AS d(org_id, day)
         WHERE s.org_id = d.org_id AND s.day = d.day`,
        [orgIds, days],
      );
      await runner.query(
        `INSERT INTO message_stats_daily (${DAILY_STATS_COLUMNS})
         WITH spans AS (SELECT * FROM unnest($1::uuid[], $2::date[], $3::timestamptz[], $4::timestamptz[])
                        AS d(org_id, day, start_at, end_at))
         ${COUNT_DAILY_STATS_SQL}`,
        [orgIds, days, spans.map((s) => s.start_at), spans.map((s) => s.end_at)],
      );
      await runner.commitTransaction();
      return spans.length;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }
}
