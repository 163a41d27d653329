import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, tenant } from '@parley/api/core';
import {
  CreateTemplateDto,
  PreviewTemplateDto,
  SyncTemplatesDto,
  SyncTemplatesResultDto,
  TemplateDto,
  TemplatePreviewDto,
  TemplatesQuery,
  UpdateTemplateDto,
} from './dto/template.dto';
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

  @Post()
  @ApiOperation({
    operationId: 'createTemplate',
    summary: "Write a template as a local draft (status DRAFT), checked against Meta's rules; submit it later",
  })
  @ApiCreatedResponse({ type: TemplateDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async create(@Body() body: CreateTemplateDto): Promise<TemplateDto> {
    return TemplateDto.from(await this.templates.create(tenant().orgId, body));
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateTemplate',
    summary:
      'Change a draft, or edit a template at Meta (APPROVED, REJECTED or PAUSED: components, and category unless APPROVED), which goes back to review',
  })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 502)
  async update(@Param('id') id: string, @Body() body: UpdateTemplateDto): Promise<TemplateDto> {
    return TemplateDto.from(await this.templates.update(tenant().orgId, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTemplate', summary: 'Delete a template, at Meta too when it was submitted' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404, 502)
  async delete(@Param('id') id: string): Promise<void> {
    await this.templates.delete(tenant().orgId, id);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'submitTemplate',
    summary: "Send a draft to Meta for review; it is PENDING until Meta's review webhook approves or rejects it",
  })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrors(401, 403, 404, 409, 422, 502)
  async submit(@Param('id') id: string): Promise<TemplateDto> {
    return TemplateDto.from(await this.templates.submit(tenant().orgId, id));
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'previewTemplate',
    summary: "The template as the customer's phone shows it, with the given parameter values (samples for the rest)",
  })
  @ApiOkResponse({ type: TemplatePreviewDto })
  @ApiErrors(400, 401, 403, 404, 422)
  preview(@Param('id') id: string, @Body() body: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    return this.templates.preview(tenant().orgId, id, body.parameters);
  }
}
