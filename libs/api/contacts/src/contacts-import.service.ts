import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import type { FieldError } from '@parley/api/core';
import { CsvError, parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { badFile } from './contacts.errors';
import {
  csvLayout,
  CsvLayout,
  ImportDefaults,
  ImportRow,
  isBlankRecord,
  mapCsvRow,
  MappedRow,
  mergeImportRows,
  mergeProblem,
} from './csv-import';
import { ImportContactsDto, ImportErrorDto, ImportReportDto } from './dto/contact.dto';

/** Rows per INSERT … ON CONFLICT. */
const BATCH_SIZE = 500;
/** Errors listed in a report; more only set `errorsTruncated`. */
const MAX_REPORTED_ERRORS = 1000;
/** Characters in one row: bounds the memory a malformed file (an unclosed quote) can take. */
const MAX_RECORD_CHARS = 64 * 1024;

/** A customer who opted out by writing STOP keeps that state: only their own START undoes it. */
const KEPT = `(c.opt_in_status = 'opted_out' AND c.opt_in_source = 'whatsapp_keyword')`;

/**
 * Upserts one batch: new phones become contacts; known ones get the row's name (when it has one),
 * its tags and attributes merged in, and its opt-in state (source `import`, time set when it
 * changes) unless the customer opted out themselves.
 */
const UPSERT = `
  INSERT INTO contacts AS c (org_id, phone, wa_id, name, tags, attributes, opt_in_status, opt_in_source, opt_in_changed_at)
  SELECT $1, r.phone, substr(r.phone, 2), r.name, r.tags, r.attributes,
         coalesce(r.opt_in_status, 'unknown')::opt_in_status,
         CASE WHEN r.opt_in_status IS NOT NULL THEN 'import' END,
         CASE WHEN r.opt_in_status IS NOT NULL THEN now() END
  FROM jsonb_to_recordset($2::jsonb) AS r(phone text, name text, tags text[], attributes jsonb, opt_in_status text)
  ON CONFLICT (org_id, phone) DO UPDATE SET
    name = coalesce(EXCLUDED.name, c.name),
    tags = ARRAY(SELECT t FROM unnest(c.tags || EXCLUDED.tags) WITH ORDINALITY AS u(t, i) GROUP BY t ORDER BY min(i)),
    attributes = c.attributes || EXCLUDED.attributes,
    opt_in_status = CASE WHEN EXCLUDED.opt_in_source IS NULL OR ${KEPT} THEN c.opt_in_status ELSE EXCLUDED.opt_in_status END,
    opt_in_source = CASE WHEN EXCLUDED.opt_in_source IS NULL OR EXCLUDED.opt_in_status = c.opt_in_status OR ${KEPT}
                         THEN c.opt_in_source ELSE EXCLUDED.opt_in_source END,
    opt_in_changed_at = CASE WHEN EXCLUDED.opt_in_source IS NULL OR EXCLUDED.opt_in_status = c.opt_in_status OR ${KEPT}
                             THEN c.opt_in_changed_at ELSE EXCLUDED.opt_in_changed_at END,
    updated_at = now()
  RETURNING phone, (xmax = 0) AS inserted`;

/** A valid row waiting for its batch: where it came from, and whether an earlier batch had its phone. */
type PendingRow = ImportRow & { row: number; repeat: boolean };

/** CSV imports: streamed, upserted in set-based batches, one transaction and one audit row per file. */
@Injectable()
export class ContactsImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Imports a CSV file read from `file`, row by row: a bad row is reported and skipped, never
   * stopping the others; a file that can't be read as CSV with a phone column changes nothing.
   */
  import(orgId: string, file: Readable, options: ImportContactsDto): Promise<ImportReportDto> {
    const defaults: ImportDefaults = {
      defaultCountry: options.defaultCountry,
      tags: options.tags ?? [],
      optInStatus: options.optInStatus,
    };
    return this.dataSource.transaction(async (manager) => {
      const run = new ImportRun(manager, orgId);
      const parser = parse({ bom: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS });
      file.once('error', (error) => parser.destroy(error));
      file.pipe(parser);
      let layout: CsvLayout | null = null;
      let row = 0;
      try {
        for await (const cells of parser as AsyncIterable<string[]>) {
          row += 1; // records, not lines: a quoted cell spanning lines is one spreadsheet row
          if (!layout) layout = csvLayout(cells);
          else if (!isBlankRecord(cells)) await run.add(row, mapCsvRow(cells, layout, defaults));
        }
      } catch (error) {
        if (error instanceof CsvError)
          throw badFile(`file is not valid CSV near line ${String(error['lines'])}: ${error.message}`);
        throw error;
      } finally {
        file.destroy();
      }
      if (!layout) throw badFile('file is empty: its first row must name the columns, one of them phone');
      await run.flush();
      await this.audit.record(manager, {
        orgId,
        action: 'contacts.imported',
        targetType: 'contact',
        changes: { after: { ...run.counts } },
      });
      return run.report();
    });
  }
}

/** The state of one import: counts, errors, the phones seen so far and the batch being filled. */
class ImportRun {
  readonly counts = { rows: 0, created: 0, updated: 0, duplicates: 0, skipped: 0 };
  private readonly errors: ImportErrorDto[] = [];
  private errorsTruncated = false;
  private readonly seen = new Set<string>();
  private batch = new Map<string, PendingRow>();

  constructor(
    private readonly manager: EntityManager,
    private readonly orgId: string,
  ) {}

  async add(row: number, mapped: MappedRow): Promise<void> {
    this.counts.rows += 1;
    if (mapped.errors) {
      this.skip(row, mapped.errors);
      return;
    }
    const { phone } = mapped.row;
    const repeat = this.seen.has(phone);
    this.seen.add(phone);
    if (repeat) this.counts.duplicates += 1;
    // One INSERT can't touch a row twice: a phone repeated within the batch is merged into its first row.
    const earlier = this.batch.get(phone);
    this.batch.set(
      phone,
      earlier
        ? { ...mergeImportRows(earlier, mapped.row), row, repeat: earlier.repeat }
        : { ...mapped.row, row, repeat },
    );
    if (this.batch.size >= BATCH_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = [...this.batch.values()];
    this.batch = new Map();
    if (rows.length === 0) return;
    // Locked, so the limits checked here still hold when the upsert merges into these rows.
    const stored: { phone: string; tags: string[]; attributes: Record<string, unknown> }[] = await this.manager.query(
      `SELECT phone, tags, attributes FROM contacts WHERE org_id = $1 AND phone = ANY($2) FOR UPDATE`,
      [this.orgId, rows.map((r) => r.phone)],
    );
    const storedByPhone = new Map(stored.map((contact) => [contact.phone, contact]));
    const accepted = rows.filter((row) => {
      const existing = storedByPhone.get(row.phone);
      const problem = existing ? mergeProblem(existing, row) : null;
      if (!problem) return true;
      if (row.repeat) this.counts.duplicates -= 1; // counted as skipped instead
      this.skip(row.row, [problem]);
      return false;
    });
    if (accepted.length === 0) return;
    const upserted: { phone: string; inserted: boolean }[] = await this.manager.query(UPSERT, [
      this.orgId,
      JSON.stringify(
        accepted.map((row) => ({
          phone: row.phone,
          name: row.name,
          tags: row.tags,
          attributes: row.attributes,
          opt_in_status: row.optInStatus,
        })),
      ),
    ]);
    const inserted = new Map(upserted.map((r) => [r.phone, r.inserted]));
    for (const row of accepted) {
      if (row.repeat) continue; // its first row was counted
      if (inserted.get(row.phone)) this.counts.created += 1;
      else this.counts.updated += 1;
    }
  }

  report(): ImportReportDto {
    return { ...this.counts, errors: this.errors, errorsTruncated: this.errorsTruncated };
  }

  private skip(row: number, errors: FieldError[]): void {
    this.counts.skipped += 1;
    for (const error of errors) {
      if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ row, ...error });
      else this.errorsTruncated = true;
    }
  }
}
