import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, writeCsv, Page, principal, tenant } from '@parley/api/core';
import type { Response } from 'express';
import { CampaignStats, NO_STATS } from './campaign-stats';
import { CampaignAction, CampaignsService } from './campaigns.service';
import {
  AudienceEstimateDto,
  CampaignDto,
  CampaignRecipientDto,
  CampaignsQuery,
  CampaignStatsDetailDto,
  CreateCampaignDto,
  EstimateCampaignDto,
  LaunchCampaignDto,
  RecipientsQuery,
  UpdateCampaignDto,
} from './dto/campaign.dto';
import type { Campaign } from './entities/campaign.entity';

const CSV_COLUMNS = [
  'phone',
  'name',
  'status',
  'skipReason',
  'errorCode',
  'errorTitle',
  'sentAt',
  'deliveredAt',
  'readAt',
  'repliedAt',
] as const;

@ApiTags('Campaigns')
@ApiOrgScoped()
@Controller('orgs/:orgId/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly stats: CampaignStats,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listCampaigns', summary: 'Campaigns, newest first, with their funnels' })
  @ApiPageResponse(CampaignDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: CampaignsQuery): Promise<Page<CampaignDto>> {
    const page = await this.campaigns.list(tenant().orgId, query);
    const stats = await this.stats.forCampaigns(page.data);
    return {
      data: page.data.map((campaign) => CampaignDto.from(campaign, stats.get(campaign.id) ?? NO_STATS)),
      nextCursor: page.nextCursor,
    };
  }

  @Post()
  @ApiOperation({
    operationId: 'createCampaign',
    summary: 'A draft campaign: number, template, parameter mapping, audience and optional schedule',
  })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async create(@Body() body: CreateCampaignDto): Promise<CampaignDto> {
    const caller = principal();
    return this.dto(await this.campaigns.create(tenant().orgId, caller.kind === 'user' ? caller.userId : null, body));
  }

  @Post('estimate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'estimateCampaignAudience',
    summary: 'How many contacts an audience reaches, and how many would be skipped and why',
  })
  @ApiOkResponse({ type: AudienceEstimateDto })
  @ApiErrors(400, 401, 403, 404, 422)
  estimate(@Body() body: EstimateCampaignDto): Promise<AudienceEstimateDto> {
    return this.campaigns.estimate(tenant().orgId, body);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getCampaign', summary: 'A campaign with its funnel' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.get(tenant().orgId, id));
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateCampaign', summary: 'Change a draft or scheduled campaign' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Param('id') id: string, @Body() body: UpdateCampaignDto): Promise<CampaignDto> {
    return this.dto(await this.campaigns.update(tenant().orgId, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteCampaign', summary: 'Delete a campaign that is not sending (cancel it first)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404, 409)
  async delete(@Param('id') id: string): Promise<void> {
    await this.campaigns.delete(tenant().orgId, id);
  }

  @Post(':id/launch')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'launchCampaign',
    summary: 'Send now (the audience is snapshotted at once), or at scheduledAt',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async launch(@Param('id') id: string, @Body() body: LaunchCampaignDto): Promise<CampaignDto> {
    return this.dto(await this.campaigns.launch(tenant().orgId, id, body));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ operationId: 'pauseCampaign', summary: 'Stop sending (within about a second); resume later' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(401, 403, 404, 409)
  pause(@Param('id') id: string): Promise<CampaignDto> {
    return this.control(id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ operationId: 'resumeCampaign', summary: 'Carry on sending a paused campaign' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(401, 403, 404, 409)
  resume(@Param('id') id: string): Promise<CampaignDto> {
    return this.control(id, 'resume');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ operationId: 'cancelCampaign', summary: 'Stop for good: recipients not sent yet are cancelled' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(401, 403, 404, 409)
  cancel(@Param('id') id: string): Promise<CampaignDto> {
    return this.control(id, 'cancel');
  }

  @Get(':id/stats')
  @ApiOperation({
    operationId: 'getCampaignStats',
    summary: "The campaign's funnel, with skips by reason and failures by Meta's error code",
  })
  @ApiOkResponse({ type: CampaignStatsDetailDto })
  @ApiErrors(401, 403, 404)
  async statistics(@Param('id') id: string): Promise<CampaignStatsDetailDto> {
    return this.stats.detail(await this.campaigns.get(tenant().orgId, id));
  }

  @Get(':id/recipients')
  @ApiOperation({
    operationId: 'listCampaignRecipients',
    summary: 'Recipients in audience order with their status and error; `format=csv` downloads every match',
  })
  @ApiPageResponse(CampaignRecipientDto)
  @ApiProduces('application/json', 'text/csv')
  @ApiErrors(400, 401, 403, 404)
  async recipients(
    @Param('id') id: string,
    @Query() query: RecipientsQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Page<CampaignRecipientDto> | undefined> {
    const campaign = await this.campaigns.get(tenant().orgId, id);
    if (query.format !== 'csv') return this.stats.recipients(campaign.id, query);
    const filename = `campaign-${campaign.id}-recipients.csv`;
    await writeCsv(res, filename, CSV_COLUMNS, this.stats.allRecipients(campaign.id, query));
    return undefined;
  }

  private async control(id: string, action: CampaignAction): Promise<CampaignDto> {
    return this.dto(await this.campaigns.control(tenant().orgId, id, action));
  }

  private async dto(campaign: Campaign): Promise<CampaignDto> {
    return CampaignDto.from(campaign, await this.stats.forCampaign(campaign));
  }
}
