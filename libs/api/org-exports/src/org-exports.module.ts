import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { MediaModule } from '@parley/api/media';
import { OrgExport } from './entities/org-export.entity';
import { OrgExportsJob } from './jobs/org-exports.job';
import { OrgExporter } from './org-exporter';
import { OrgExportsController } from './org-exports.controller';
import { OrgExportsService } from './org-exports.service';

/** Full org exports (api): ask for one, follow it, download its archive. The worker makes them. */
@Module({
  imports: [TypeOrmModule.forFeature([OrgExport]), MediaModule, AuditModule],
  controllers: [OrgExportsController],
  providers: [OrgExportsService],
})
export class OrgExportsModule {}

/** The worker's side: makes queued exports and deletes expired archives. */
@Module({
  imports: [MediaModule],
  providers: [OrgExporter, OrgExportsJob],
})
export class OrgExportsJobsModule {}
