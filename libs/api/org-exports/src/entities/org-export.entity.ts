import type { Actor } from '@parley/api/core';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index } from 'typeorm';

export const ORG_EXPORT_STATUSES = ['queued', 'running', 'ready', 'failed', 'expired'] as const;
export type OrgExportStatus = (typeof ORG_EXPORT_STATUSES)[number];

/** Statuses of an export still being made: an org has at most one of them at a time. */
export const IN_PROGRESS: readonly OrgExportStatus[] = ['queued', 'running'];

/**
 * A full export of one org's data (GDPR portability), and the queue of exports to make: the worker
 * takes `queued` rows (and `running` ones whose lease ran out: their worker died), writes a ZIP of
 * one JSON file per table into the media storage, and marks the row `ready` until `expires_at`.
 */
@Entity('org_exports')
@Index(['orgId', 'createdAt', 'id'])
// One export in progress per org: a second request is refused by this index, without a race.
@Index(['orgId'], { unique: true, where: "status IN ('queued', 'running')" })
// The worker's claim scan and the expiry scan, each over the few rows it can take.
@Index(['createdAt'], { where: "status IN ('queued', 'running')" })
@Index(['expiresAt'], { where: "status = 'ready'" })
export class OrgExport extends OrgOwnedEntity {
  @Column({ type: 'enum', enum: ORG_EXPORT_STATUSES, enumName: 'org_export_status', default: 'queued' })
  status!: OrgExportStatus;

  /** Who asked, as the audit log names callers: a user or an API key (no foreign key, like audit rows). */
  @Column({ type: 'text' })
  requestedByType!: Exclude<Actor['type'], 'system'>;

  @Column({ type: 'uuid', nullable: true })
  requestedById!: string | null;

  @Column({ type: 'integer', default: 0 })
  tablesDone!: number;

  @Column({ type: 'integer', default: 0 })
  tablesTotal!: number;

  /** bigint: pg answers it as a string. */
  @Column({ type: 'bigint', default: 0 })
  rowsWritten!: string;

  /** The archive's size once stored. */
  @Column({ type: 'bigint', nullable: true })
  sizeBytes!: string | null;

  /** Where the archive is in the media storage (`exports/<orgId>/<id>.zip`); null until ready and after expiry. */
  @Column({ type: 'text', nullable: true })
  storageKey!: string | null;

  /** Why the export failed, readable by the admin who asked. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Times a worker took it; also fences a worker whose lease was taken over from writing the outcome. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Until when the worker running it holds it; it renews the lease while it works. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt!: Date | null;

  /** When a ready archive is deleted (ORG_EXPORTS_TTL_DAYS after it was made). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  expiresAt!: Date | null;
}

/** Ready and not yet past its expiry (the worker deletes expired archives on its next round). */
export function isDownloadable(row: OrgExport, now = new Date()): boolean {
  return row.status === 'ready' && row.storageKey !== null && row.expiresAt !== null && row.expiresAt > now;
}
