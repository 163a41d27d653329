import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, tenant, writeCsv } from '@parley/api/core';
import type { Response } from 'express';
import { AnalyticsService, periodOf } from './analytics.service';
import {
  AgentsReportDto,
  AgentStatsDto,
  AnalyticsOverviewDto,
  AnalyticsQuery,
  AnalyticsTableQuery,
  CampaignsReportDto,
  CampaignSummaryDto,
  TemplatesReportDto,
  TemplateStatsDto,
} from './dto/analytics.dto';

const AGENT_COLUMNS = [
  'userId',
  'name',
  'email',
  'role',
  'conversationsAssigned',
  'conversationsResolved',
  'messagesSent',
  'firstResponses',
  'medianFirstResponseSeconds',
] as const satisfies readonly (keyof AgentStatsDto)[];
const TEMPLATE_COLUMNS = [
  'name',
  'language',
  'sent',
  'delivered',
  'read',
  'failed',
  'readRate',
] as const satisfies readonly (keyof TemplateStatsDto)[];
const CAMPAIGN_COLUMNS = [
  'id',
  'name',
  'status',
  'startedAt',
  'targeted',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
] as const satisfies readonly (keyof CampaignSummaryDto)[];

const PERIOD_ERRORS = [400, 401, 403, 404, 422] as const;

@ApiTags('Analytics')
@ApiOrgScoped()
@Controller('orgs/:orgId/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('overview')
  @ApiOperation({
    operationId: 'getAnalyticsOverview',
    summary:
      'Messages per day, delivery and read rates, failures by code, contacts, conversations, response and resolution ' +
      'times, and the AI intent and sentiment mix, over whole days in a time zone',
  })
  @ApiOkResponse({ type: AnalyticsOverviewDto })
  @ApiErrors(...PERIOD_ERRORS)
  async overview(@Query() query: AnalyticsQuery): Promise<AnalyticsOverviewDto> {
    const orgId = tenant().orgId;
    return this.analytics.overview(orgId, await this.analytics.window(orgId, query));
  }

  @Get('agents')
  @ApiOperation({
    operationId: 'getAgentAnalytics',
    summary:
      'Per member: conversations assigned and resolved, messages sent, median first response; `format=csv` downloads it',
  })
  @ApiOkResponse({ type: AgentsReportDto })
  @ApiProduces('application/json', 'text/csv')
  @ApiErrors(...PERIOD_ERRORS)
  async agents(
    @Query() query: AnalyticsTableQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AgentsReportDto | undefined> {
    const orgId = tenant().orgId;
    const window = await this.analytics.window(orgId, query);
    const data = await this.analytics.agents(orgId, window);
    if (query.format === 'csv') {
      await writeCsv(res, `agents-${window.from}-${window.to}.csv`, AGENT_COLUMNS, [data]);
      return undefined;
    }
    return { period: periodOf(window), data };
  }

  @Get('templates')
  @ApiOperation({
    operationId: 'getTemplateAnalytics',
    summary: 'Per template (name and language): sent, delivered, read, failed, read rate; `format=csv` downloads it',
  })
  @ApiOkResponse({ type: TemplatesReportDto })
  @ApiProduces('application/json', 'text/csv')
  @ApiErrors(...PERIOD_ERRORS)
  async templates(
    @Query() query: AnalyticsTableQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TemplatesReportDto | undefined> {
    const orgId = tenant().orgId;
    const window = await this.analytics.window(orgId, query);
    const data = await this.analytics.templates(orgId, window);
    if (query.format === 'csv') {
      await writeCsv(res, `templates-${window.from}-${window.to}.csv`, TEMPLATE_COLUMNS, [data]);
      return undefined;
    }
    return { period: periodOf(window), data };
  }

  @Get('campaigns')
  @ApiOperation({
    operationId: 'getCampaignAnalytics',
    summary:
      'Campaigns started in the period with their funnels: targeted, sent, delivered, read, replied, failed; ' +
      '`format=csv` downloads it',
  })
  @ApiOkResponse({ type: CampaignsReportDto })
  @ApiProduces('application/json', 'text/csv')
  @ApiErrors(...PERIOD_ERRORS)
  async campaigns(
    @Query() query: AnalyticsTableQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CampaignsReportDto | undefined> {
    const orgId = tenant().orgId;
    const window = await this.analytics.window(orgId, query);
    const data = await this.analytics.campaigns(orgId, window);
    if (query.format === 'csv') {
      await writeCsv(res, `campaigns-${window.from}-${window.to}.csv`, CAMPAIGN_COLUMNS, [data]);
      return undefined;
    }
    return { period: periodOf(window), data };
  }
}
