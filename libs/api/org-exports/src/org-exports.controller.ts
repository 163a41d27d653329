import { Controller, Get, HttpCode, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  actorOf,
  ApiErrors,
  ApiOrgScoped,
  ApiPageResponse,
  mapPage,
  Page,
  PageQuery,
  principal,
  tenant,
} from '@parley/api/core';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { OrgExportDto } from './dto/org-export.dto';
import { OrgExportsService } from './org-exports.service';

@ApiTags('Organizations')
@ApiOrgScoped()
@Controller('orgs/:orgId/exports')
export class OrgExportsController {
  private readonly logger = new Logger(OrgExportsController.name);

  constructor(private readonly exports: OrgExportsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'createOrgExport',
    summary: "Ask for a full export of the org's data (GDPR portability): a ZIP of one JSON file per table",
    description:
      'The worker writes the archive; follow `status` and `progress` with getOrgExport, then download it from ' +
      '`downloadUrl` until `expiresAt`. One export at a time per org (409 `export_in_progress`, `details.exportId` ' +
      'naming the running one). Secrets (credentials, key hashes, signing secrets) are never in the archive; ' +
      'its `manifest.json` lists what was left out.',
  })
  @ApiAcceptedResponse({ type: OrgExportDto, description: 'Queued' })
  @ApiErrors(401, 403, 404, 409)
  async create(): Promise<OrgExportDto> {
    return OrgExportDto.from(await this.exports.request(tenant().orgId, actorOf(principal())));
  }

  @Get()
  @ApiOperation({ operationId: 'listOrgExports', summary: "The org's exports, newest first" })
  @ApiPageResponse(OrgExportDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: PageQuery): Promise<Page<OrgExportDto>> {
    return mapPage(await this.exports.list(tenant().orgId, query), (row) => OrgExportDto.from(row));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getOrgExport', summary: "An export's status and progress, and where to download it" })
  @ApiOkResponse({ type: OrgExportDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<OrgExportDto> {
    return OrgExportDto.from(await this.exports.get(tenant().orgId, id));
  }

  @Get(':id/download')
  @ApiOperation({
    operationId: 'downloadOrgExport',
    summary: 'Download the archive of a ready export (404 before it is ready and after it expires)',
    description:
      'A ZIP holding `manifest.json` (org, `exportedAt`, format version, row count per file, columns left out) and ' +
      'one `<table>.json` per table: a JSON array of rows keyed by column name (snake_case, as in the database).',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description: 'The ZIP, as an attachment named `parley-export-<org>-<yyyy-mm-dd>.zip`',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors(401, 403, 404)
  async download(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { export: found, stream, filename } = await this.exports.open(tenant().orgId, id);
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    if (found.sizeBytes !== null) res.setHeader('Content-Length', found.sizeBytes);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    try {
      await pipeline(stream, res);
    } catch (error) {
      // pipeline has cut the connection, so the client sees the body is incomplete; a client that left is no news.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        this.logger.warn(`export ${id}: stopped serving: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
