import { ApiProperty } from '@nestjs/swagger';
import { API_PREFIX } from '@parley/api/core';
import {
  isDownloadable,
  ORG_EXPORT_STATUSES,
  type OrgExport,
  type OrgExportStatus,
} from '../entities/org-export.entity';

export class OrgExportProgressDto {
  @ApiProperty({ example: 12, description: 'Tables written so far' })
  tablesDone!: number;

  @ApiProperty({ example: 27, description: 'Tables in the archive (one JSON file each)' })
  tablesTotal!: number;

  @ApiProperty({ example: 48210, description: 'Rows written so far, all tables together' })
  rowsWritten!: number;

  @ApiProperty({
    example: 44,
    minimum: 0,
    maximum: 100,
    description: 'Tables done in whole percent (a large table moves `rowsWritten`, not this); 100 once ready',
  })
  percent!: number;

  static from(row: OrgExport): OrgExportProgressDto {
    const percent =
      row.status === 'ready' || row.status === 'expired'
        ? 100
        : row.tablesTotal > 0
          ? Math.floor((100 * row.tablesDone) / row.tablesTotal)
          : 0;
    return {
      tablesDone: row.tablesDone,
      tablesTotal: row.tablesTotal,
      rowsWritten: Number(row.rowsWritten),
      percent,
    };
  }
}

/** A full export of the org's data, as the API shows it. */
export class OrgExportDto {
  @ApiProperty({ format: 'uuid', example: '3d0c9a51-6b7e-4f0a-9e21-5a8c7d4b2f10' })
  id!: string;

  @ApiProperty({
    enum: ORG_EXPORT_STATUSES,
    example: 'running',
    description:
      '`queued`, then `running` in the worker, then `ready` to download until `expiresAt` (then `expired`), or `failed` (see `error`)',
  })
  status!: OrgExportStatus;

  @ApiProperty({ type: OrgExportProgressDto })
  progress!: OrgExportProgressDto;

  @ApiProperty({ type: Number, nullable: true, example: 1843022, description: "The archive's size, once ready" })
  sizeBytes!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the export failed (when `failed`), with an error id to give an operator',
  })
  error!: string | null;

  @ApiProperty({ example: '2026-03-09T10:15:02.114Z' })
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true, example: '2026-03-09T10:15:03.020Z' })
  startedAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true, example: null })
  finishedAt!: Date | null;

  @ApiProperty({
    type: Date,
    nullable: true,
    example: null,
    description: 'When the archive is deleted (ORG_EXPORTS_TTL_DAYS after it was made)',
  })
  expiresAt!: Date | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '/api/v1/orgs/6f1c2a8e-2d7b-4b0e-9a51-8f3d1e0c7b42/exports/3d0c9a51-6b7e-4f0a-9e21-5a8c7d4b2f10/download',
    description: 'Where to download the ZIP (same authentication as the API); null unless ready',
  })
  downloadUrl!: string | null;

  static from(row: OrgExport, now = new Date()): OrgExportDto {
    return {
      id: row.id,
      status: row.status,
      progress: OrgExportProgressDto.from(row),
      sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
      error: row.error,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      expiresAt: row.expiresAt,
      downloadUrl: isDownloadable(row, now) ? `/${API_PREFIX}/orgs/${row.orgId}/exports/${row.id}/download` : null,
    };
  }
}
