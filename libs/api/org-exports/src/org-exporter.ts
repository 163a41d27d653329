import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, returning } from '@parley/api/core';
import { MEDIA_STORAGE, type MediaStorage } from '@parley/api/media';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { batchQuery, EXPORT_PLAN, omittedColumns, type TableExport } from './export-plan';
import { ZipWriter } from './zip-writer';

/** Rows read per query: a batch is a few MB of JSON at most, whatever the table's size. */
const BATCH_ROWS = 1_000;
/** Progress is saved after each table, and within a large one every this many batches. */
const PROGRESS_EVERY_BATCHES = 10;
/** How long a taken export stays the worker's without news; it renews the lease at a third of that. */
const LEASE_MS = 60_000;
/** Takes after which an export whose worker keeps dying midway is failed rather than taken again. */
const MAX_ATTEMPTS = 3;
/** Expired archives removed per round. */
const EXPIRE_BATCH = 50;

/** The archive's layout; a reader checks it before anything else. */
export const EXPORT_FORMAT = { name: 'parley-org-export', version: 1 } as const;

export interface ExportManifest {
  format: typeof EXPORT_FORMAT.name;
  formatVersion: typeof EXPORT_FORMAT.version;
  exportId: string;
  org: { id: string; name: string };
  /** The snapshot's time: every file shows the data as it was then. */
  exportedAt: string;
  keys: string;
  files: { name: string; table: string; rows: number }[];
  /** `table.column` → why it is not in the archive. */
  omittedColumns: Record<string, string>;
  notIncluded: string[];
}

interface TakenExport {
  id: string;
  org_id: string;
  /** The take's number: every write about the export names it, so a worker that lost the lease writes nothing. */
  attempts: number;
}

/** Where a run is: read by its lease renewals and its progress writes. */
interface Run {
  readonly job: TakenExport;
  lost: boolean;
  tablesDone: number;
  rowsWritten: number;
  batches: number;
  phase: 'make the archive' | 'store the archive';
}

/** The export was taken over (its lease ran out) or deleted with its org: this worker stops without a word. */
class LeaseLost extends Error {}
/** The worker is shutting down: the export goes back to the queue. */
class Stopping extends Error {}

/**
 * Makes full org exports (GDPR portability). The org_exports table is the queue: a worker takes the
 * oldest queued export (SKIP LOCKED, so several workers share it) or one whose lease ran out, reads
 * every exported table in one REPEATABLE READ snapshot, in key order and in batches, into a ZIP
 * written to a temp file, then stores it in the media storage with its size (S3 needs it up front).
 * Progress and lease renewals go through other connections, so the API sees them at once.
 */
@Injectable()
export class OrgExporter {
  private readonly logger = new Logger(OrgExporter.name);
  private readonly stopping = new AbortController();
  private current: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    private readonly config: AppConfig,
  ) {}

  /** One export, if one is waiting: resolves whether there was one. */
  async runNext(): Promise<boolean> {
    if (this.stopping.signal.aborted) return false;
    await this.failAbandoned();
    const job = await this.take();
    if (!job) return false;
    this.current = this.make(job);
    try {
      await this.current;
    } finally {
      this.current = null;
    }
    return true;
  }

  /** For shutdown: the export being made goes back to the queue, and no other is taken. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.current;
  }

  /** Deletes the archives of ready exports past their expiry and marks them `expired`; resolves how many. */
  async expireDue(): Promise<number> {
    const due: { id: string; storage_key: string | null }[] = await this.dataSource.query(
      `SELECT id, storage_key FROM org_exports WHERE status = 'ready' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [EXPIRE_BATCH],
    );
    let expired = 0;
    for (const row of due) {
      try {
        // The file first: if marking fails, the next round deletes again (a missing file is no error) and marks it.
        if (row.storage_key) await this.storage.delete(row.storage_key);
        await this.dataSource.query(
          `UPDATE org_exports SET status = 'expired', storage_key = NULL WHERE id = $1 AND status = 'ready'`,
          [row.id],
        );
        expired++;
      } catch (error) {
        this.logger.warn(`export ${row.id}: could not expire: ${messageOf(error)}`);
      }
    }
    return expired;
  }

  /** Exports whose worker died again and again while making them: failed, so the org may ask again. */
  private async failAbandoned(): Promise<void> {
    await this.dataSource.query(
      `UPDATE org_exports SET status = 'failed', finished_at = now(), lease_expires_at = NULL, error = $2
       WHERE status = 'running' AND lease_expires_at < now() AND attempts >= $1`,
      [
        MAX_ATTEMPTS,
        `The export stopped ${MAX_ATTEMPTS} times before it was done (its worker restarted). Ask for a new export; ` +
          'if it fails again, tell your Parley operator.',
      ],
    );
  }

  private async take(): Promise<TakenExport | null> {
    const [job] = await returning<TakenExport>(
      this.dataSource,
      `UPDATE org_exports
       SET status = 'running', attempts = attempts + 1, lease_expires_at = now() + $1 * interval '1 millisecond',
           started_at = now(), tables_done = 0, tables_total = $2, rows_written = 0, error = NULL
       WHERE id = (SELECT id FROM org_exports
                   WHERE status = 'queued' OR (status = 'running' AND lease_expires_at < now())
                   ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, org_id, attempts`,
      [LEASE_MS, EXPORT_PLAN.length],
    );
    return job ?? null;
  }

  private async make(job: TakenExport): Promise<void> {
    const run: Run = { job, lost: false, tablesDone: 0, rowsWritten: 0, batches: 0, phase: 'make the archive' };
    const renewal = setInterval(() => void this.renew(run), LEASE_MS / 3);
    let directory: string | undefined;
    try {
      directory = await mkdtemp(join(tmpdir(), 'parley-export-'));
      const path = join(directory, 'export.zip');
      await this.writeArchive(run, path);
      run.phase = 'store the archive';
      const { size } = await stat(path);
      // A key per take: a worker that lost the lease never overwrites the archive of the one that took over.
      const key = `exports/${job.org_id}/${job.id}-${job.attempts}.zip`;
      await this.storage.put(key, createReadStream(path), 'application/zip', size);
      if (!(await this.finish(job, key, size))) {
        await this.storage.delete(key);
        throw new LeaseLost();
      }
    } catch (error) {
      await this.settle(run, error);
    } finally {
      clearInterval(renewal);
      if (directory) await rm(directory, { recursive: true, force: true });
    }
  }

  /** Every table into the ZIP at `path`, from one snapshot, then the manifest. */
  private writeArchive(run: Run, path: string): Promise<void> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const [org]: { name: string; at: Date }[] = await manager.query(
        'SELECT name, now() AS at FROM organizations WHERE id = $1',
        [run.job.org_id],
      );
      if (!org) throw new LeaseLost();
      const zip = new ZipWriter(path, org.at);
      try {
        const files: ExportManifest['files'] = [];
        for (const spec of EXPORT_PLAN) {
          files.push({
            name: `${spec.file}.json`,
            table: spec.table,
            rows: await this.writeTable(manager, zip, spec, run),
          });
          run.tablesDone++;
          await this.saveProgress(run);
        }
        const manifest: ExportManifest = {
          format: EXPORT_FORMAT.name,
          formatVersion: EXPORT_FORMAT.version,
          exportId: run.job.id,
          org: { id: run.job.org_id, name: org.name },
          exportedAt: org.at.toISOString(),
          keys: "Each file is a JSON array of rows, keyed by column name (snake_case) as in Parley's database",
          files,
          omittedColumns: omittedColumns(),
          notIncluded: [
            "Media files' bytes (media.json lists them; download each with GET /api/v1/orgs/{orgId}/media/{id}/content)",
            "Members' passwords and sessions, API key hashes, invitation tokens and every other credential",
          ],
        };
        zip.addBuffer('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
        await zip.close();
      } catch (error) {
        zip.abort();
        throw error;
      }
    });
  }

  /** One table as `<file>.json`, read in key order a batch at a time; resolves its row count. */
  private async writeTable(manager: EntityManager, zip: ZipWriter, spec: TableExport, run: Run): Promise<number> {
    const entry = zip.entry(`${spec.file}.json`);
    let rows = 0;
    let after: string | null = null;
    await entry.write('[');
    for (;;) {
      this.checkStillOurs(run);
      const batch: { key: string; row: string }[] = await manager.query(
        batchQuery(spec, after !== null),
        after === null ? [run.job.org_id, BATCH_ROWS] : [run.job.org_id, after, BATCH_ROWS],
      );
      if (batch.length === 0) break;
      await entry.write((rows === 0 ? '\n' : ',\n') + batch.map((item) => item.row).join(',\n'));
      rows += batch.length;
      run.rowsWritten += batch.length;
      after = batch[batch.length - 1].key;
      if (++run.batches % PROGRESS_EVERY_BATCHES === 0) await this.saveProgress(run);
      if (batch.length < BATCH_ROWS) break;
    }
    await entry.write(rows === 0 ? ']\n' : '\n]\n');
    entry.end();
    return rows;
  }

  private checkStillOurs(run: Run): void {
    if (run.lost) throw new LeaseLost();
    if (this.stopping.signal.aborted) throw new Stopping();
  }

  /** Progress for the API, and the lease renewed with it. */
  private async saveProgress(run: Run): Promise<void> {
    const [saved] = await returning(
      this.dataSource,
      `UPDATE org_exports SET tables_done = $3, rows_written = $4, lease_expires_at = now() + $5 * interval '1 millisecond'
       WHERE id = $1 AND attempts = $2 AND status = 'running' RETURNING id`,
      [run.job.id, run.job.attempts, run.tablesDone, run.rowsWritten, LEASE_MS],
    );
    if (!saved) run.lost = true;
    this.checkStillOurs(run);
  }

  /** Between progress writes (a slow query, a slow upload), the lease is renewed on a timer. */
  private async renew(run: Run): Promise<void> {
    try {
      const [renewed] = await returning(
        this.dataSource,
        `UPDATE org_exports SET lease_expires_at = now() + $3 * interval '1 millisecond'
         WHERE id = $1 AND attempts = $2 AND status = 'running' RETURNING id`,
        [run.job.id, run.job.attempts, LEASE_MS],
      );
      if (!renewed) run.lost = true;
    } catch (error) {
      this.logger.warn(`export ${run.job.id}: could not renew the lease: ${messageOf(error)}`);
    }
  }

  /** Resolves false when the export is no longer this take's (taken over, or deleted with its org). */
  private async finish(job: TakenExport, key: string, size: number): Promise<boolean> {
    const [done] = await returning(
      this.dataSource,
      `UPDATE org_exports
       SET status = 'ready', storage_key = $3, size_bytes = $4, tables_done = tables_total, finished_at = now(),
           expires_at = now() + $5 * interval '1 day', lease_expires_at = NULL
       WHERE id = $1 AND attempts = $2 AND status = 'running' RETURNING id`,
      [job.id, job.attempts, key, size, this.config.ORG_EXPORTS_TTL_DAYS],
    );
    return done !== undefined;
  }

  /** After a run that did not finish: nothing (taken over), back to the queue (shutdown), or failed with a readable why. */
  private async settle(run: Run, error: unknown): Promise<void> {
    const { job } = run;
    try {
      if (error instanceof LeaseLost) {
        this.logger.warn(`export ${job.id}: taken over or deleted while being made; this worker stops`);
      } else if (error instanceof Stopping) {
        await this.dataSource.query(
          `UPDATE org_exports SET status = 'queued', lease_expires_at = NULL
           WHERE id = $1 AND attempts = $2 AND status = 'running'`,
          [job.id, job.attempts],
        );
      } else {
        const errorId = randomUUID();
        this.logger.error(`export ${job.id} failed (error id ${errorId}) trying to ${run.phase}: ${messageOf(error)}`);
        await this.dataSource.query(
          `UPDATE org_exports SET status = 'failed', finished_at = now(), lease_expires_at = NULL, error = $3
           WHERE id = $1 AND attempts = $2 AND status = 'running'`,
          [
            job.id,
            job.attempts,
            `Parley could not ${run.phase} (error id ${errorId}). Ask for a new export; if it fails again, ` +
              'give the error id to your Parley operator.',
          ],
        );
      }
    } catch (recordError) {
      // The lease runs out and another take starts over.
      this.logger.error(`export ${job.id}: could not record how it ended: ${messageOf(recordError)}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
