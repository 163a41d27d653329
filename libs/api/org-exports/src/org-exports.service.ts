import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { type Actor, isUniqueViolation, OrgScopedRepository, Page, pageByCreatedAt, PageQuery } from '@parley/api/core';
import { MEDIA_STORAGE, MediaFileMissing, type MediaStorage } from '@parley/api/media';
import { Organization } from '@parley/api/organizations';
import type { Readable } from 'node:stream';
import { DataSource, In, Repository } from 'typeorm';
import { archiveFilename } from './archive-name';
import { IN_PROGRESS, isDownloadable, OrgExport } from './entities/org-export.entity';
import { EXPORT_PLAN } from './export-plan';
import { archiveNotAvailable, exportInProgress } from './org-exports.errors';

/** The org's archive, opened for download. */
export interface OpenedArchive {
  export: OrgExport;
  stream: Readable;
  filename: string;
}

/** Asking for full org exports, following them, and downloading their archives (the worker makes them). */
@Injectable()
export class OrgExportsService {
  private readonly exports: OrgScopedRepository<OrgExport>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(OrgExport) exports: Repository<OrgExport>,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    private readonly audit: AuditService,
  ) {
    this.exports = new OrgScopedRepository(exports, 'Export');
  }

  /** Queues an export; an org has one queued or running at a time (409 naming it). Audited. */
  async request(orgId: string, requestedBy: Actor): Promise<OrgExport> {
    const requestedByType = requestedBy.type;
    if (requestedByType === 'system') throw new Error('an export is requested by a user or an API key');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(OrgExport, {
            orgId,
            requestedByType,
            requestedById: requestedBy.id,
            tablesTotal: EXPORT_PLAN.length,
          }),
        );
        await this.audit.record(manager, {
          orgId,
          action: 'org.export_requested',
          targetType: 'org_export',
          targetId: saved.id,
          actor: requestedBy,
        });
        return saved;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const current = await this.exports.findOne(orgId, { status: In(IN_PROGRESS) });
      throw exportInProgress(current?.id);
    }
  }

  list(orgId: string, query: PageQuery): Promise<Page<OrgExport>> {
    return pageByCreatedAt(this.exports.query(orgId, 'export'), query);
  }

  get(orgId: string, id: string): Promise<OrgExport> {
    return this.exports.get(orgId, id);
  }

  /** The archive of a ready export, with its file name; 404 before it is ready and after it expires. Audited. */
  async open(orgId: string, id: string): Promise<OpenedArchive> {
    const found = await this.get(orgId, id);
    if (!isDownloadable(found) || found.storageKey === null || found.finishedAt === null) throw archiveNotAvailable();
    const org = await this.dataSource.getRepository(Organization).findOneByOrFail({ id: orgId });
    let stream: Readable;
    try {
      stream = await this.storage.get(found.storageKey);
    } catch (error) {
      if (error instanceof MediaFileMissing) throw archiveNotAvailable();
      throw error;
    }
    try {
      await this.audit.record(this.dataSource.manager, {
        orgId,
        action: 'org.exported',
        targetType: 'org_export',
        targetId: found.id,
      });
    } catch (error) {
      stream.destroy();
      throw error;
    }
    return { export: found, stream, filename: archiveFilename(org, found.finishedAt) };
  }
}
