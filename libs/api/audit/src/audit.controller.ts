import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, tenant } from '@parley/api/core';
import { AuditService } from './audit.service';
import { AuditLogDto, AuditLogQuery } from './dto/audit-log.dto';

@ApiTags('Audit')
@ApiOrgScoped()
@Controller('orgs/:orgId/audit-logs')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ operationId: 'listAuditLogs', summary: 'List audit log entries, newest first (admins and owners)' })
  @ApiPageResponse(AuditLogDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: AuditLogQuery): Promise<Page<AuditLogDto>> {
    return mapPage(await this.audit.list(tenant().orgId, query), AuditLogDto.from);
  }
}
