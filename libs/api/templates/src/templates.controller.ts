import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, tenant } from '@parley/api/core';
import { SyncTemplatesDto, SyncTemplatesResultDto, TemplateDto, TemplatesQuery } from './dto/template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('Templates')
@ApiOrgScoped()
@Controller('orgs/:orgId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listTemplates',
    summary: 'Message templates, newest first, filtered by account, status or name prefix',
  })
  @ApiPageResponse(TemplateDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: TemplatesQuery): Promise<Page<TemplateDto>> {
    return mapPage(await this.templates.list(tenant().orgId, query), TemplateDto.from);
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'syncTemplates',
    summary: 'Fetch every template of a WABA account from Meta (all pages) and make the local list match',
  })
  @ApiOkResponse({ type: SyncTemplatesResultDto })
  @ApiErrors(400, 401, 403, 404, 502)
  sync(@Body() body: SyncTemplatesDto): Promise<SyncTemplatesResultDto> {
    return this.templates.sync(tenant().orgId, body.wabaAccountId);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getTemplate', summary: 'A template with its components and status' })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<TemplateDto> {
    return TemplateDto.from(await this.templates.get(tenant().orgId, id));
  }
}
