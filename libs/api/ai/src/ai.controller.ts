import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, tenant } from '@parley/api/core';
import { AiSettingsService } from './ai-settings.service';
import { AiService } from './ai.service';
import { AiSettingsDto, AiSettingsInputDto, AiTestResultDto } from './dto/ai-settings.dto';
import { SuggestedReplyDto } from './dto/suggested-reply.dto';

@ApiTags('AI')
@ApiOrgScoped()
@Controller('orgs/:orgId/ai/settings')
export class AiSettingsController {
  constructor(private readonly settings: AiSettingsService) {}

  @Get()
  @ApiOperation({
    operationId: 'getAiSettings',
    summary: "The org's AI triage settings (the defaults until saved); the API key masked",
  })
  @ApiOkResponse({ type: AiSettingsDto })
  @ApiErrors(401, 403, 404)
  get(): Promise<AiSettingsDto> {
    return this.settings.view(tenant().orgId);
  }

  @Put()
  @ApiOperation({
    operationId: 'updateAiSettings',
    summary: 'Save the AI triage settings: provider, model, key (write-only), intents, auto-triage, budget',
  })
  @ApiOkResponse({ type: AiSettingsDto })
  @ApiErrors(400, 401, 403, 404, 422)
  update(@Body() body: AiSettingsInputDto): Promise<AiSettingsDto> {
    return this.settings.update(tenant().orgId, body);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'testAiSettings',
    summary:
      'One call to the provider with the given settings over the saved ones (nothing saved): whether it answered usably, and how fast',
  })
  @ApiOkResponse({ type: AiTestResultDto })
  @ApiErrors(400, 401, 403, 404, 422)
  test(@Body() body: AiSettingsInputDto): Promise<AiTestResultDto> {
    return this.settings.test(tenant().orgId, body);
  }
}

@ApiTags('AI')
@ApiOrgScoped()
@Controller('orgs/:orgId/conversations/:id/suggested-reply')
export class SuggestedReplyController {
  constructor(private readonly ai: AiService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'suggestReply',
    summary: 'A reply to the conversation so far, for an agent to use as a draft (nothing is sent)',
  })
  @ApiOkResponse({ type: SuggestedReplyDto })
  @ApiErrors(401, 403, 404)
  suggest(@Param('id') id: string): Promise<SuggestedReplyDto> {
    return this.ai.suggestReply(tenant().orgId, id);
  }
}
