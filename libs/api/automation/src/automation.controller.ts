import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, tenant } from '@parley/api/core';
import { AutomationRulesService } from './automation-rules.service';
import {
  AutomationRuleDto,
  AutomationRunDto,
  AutomationRunsQuery,
  CreateAutomationRuleDto,
  CreateFlowDto,
  EnrollContactDto,
  FlowDto,
  FlowEnrollmentDto,
  FlowEnrollmentsQuery,
  ReorderAutomationRulesDto,
  SetStarterBotDto,
  StarterBotDto,
  UpdateAutomationRuleDto,
  UpdateFlowDto,
} from './dto/automation.dto';
import type { Flow } from './entities/flow.entity';
import { FlowsService } from './flows.service';

@ApiTags('Automation')
@ApiOrgScoped()
@Controller('orgs/:orgId')
export class AutomationController {
  constructor(
    private readonly rules: AutomationRulesService,
    private readonly flows: FlowsService,
  ) {}

  @Get('automation-rules')
  @ApiOperation({ operationId: 'listAutomationRules', summary: 'Automation rules, in the order they are tried' })
  @ApiOkResponse({ type: [AutomationRuleDto] })
  @ApiErrors(401, 403, 404)
  async listRules(): Promise<AutomationRuleDto[]> {
    return (await this.rules.list(tenant().orgId)).map(AutomationRuleDto.from);
  }

  @Post('automation-rules')
  @ApiOperation({ operationId: 'createAutomationRule', summary: 'Add a rule (it goes last)' })
  @ApiCreatedResponse({ type: AutomationRuleDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async createRule(@Body() body: CreateAutomationRuleDto): Promise<AutomationRuleDto> {
    return AutomationRuleDto.from(await this.rules.create(tenant().orgId, body));
  }

  @Post('automation-rules/reorder')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reorderAutomationRules',
    summary: "Set the order rules are tried in (every rule's id)",
  })
  @ApiOkResponse({ type: [AutomationRuleDto] })
  @ApiErrors(400, 401, 403, 404)
  async reorder(@Body() body: ReorderAutomationRulesDto): Promise<AutomationRuleDto[]> {
    return (await this.rules.reorder(tenant().orgId, body)).map(AutomationRuleDto.from);
  }

  @Get('automation-rules/:id')
  @ApiOperation({ operationId: 'getAutomationRule', summary: 'One automation rule' })
  @ApiOkResponse({ type: AutomationRuleDto })
  @ApiErrors(401, 403, 404)
  async getRule(@Param('id') id: string): Promise<AutomationRuleDto> {
    return AutomationRuleDto.from(await this.rules.get(tenant().orgId, id));
  }

  @Patch('automation-rules/:id')
  @ApiOperation({
    operationId: 'updateAutomationRule',
    summary: 'Change a rule: name, switch, trigger, conditions, actions',
  })
  @ApiOkResponse({ type: AutomationRuleDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async updateRule(@Param('id') id: string, @Body() body: UpdateAutomationRuleDto): Promise<AutomationRuleDto> {
    return AutomationRuleDto.from(await this.rules.update(tenant().orgId, id, body));
  }

  @Delete('automation-rules/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAutomationRule', summary: 'Delete a rule and its log' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async deleteRule(@Param('id') id: string): Promise<void> {
    await this.rules.delete(tenant().orgId, id);
  }

  @Get('automation-runs')
  @ApiOperation({
    operationId: 'listAutomationRuns',
    summary: 'The rule log: which rule fired on which message and what it did, newest first',
  })
  @ApiPageResponse(AutomationRunDto)
  @ApiErrors(400, 401, 403, 404)
  async runs(@Query() query: AutomationRunsQuery): Promise<Page<AutomationRunDto>> {
    return mapPage(await this.rules.runs(tenant().orgId, query), AutomationRunDto.from);
  }

  @Get('automation/starter-bot')
  @ApiOperation({ operationId: 'getStarterBot', summary: 'Whether the starter bot is on, and its rules' })
  @ApiOkResponse({ type: StarterBotDto })
  @ApiErrors(401, 403, 404)
  async starterBot(): Promise<StarterBotDto> {
    return this.starterBotDto(await this.rules.starterBot(tenant().orgId));
  }

  @Put('automation/starter-bot')
  @ApiOperation({
    operationId: 'setStarterBot',
    summary: 'Switch the starter bot on or off (the first time, its rules are added ahead of the others)',
  })
  @ApiOkResponse({ type: StarterBotDto })
  @ApiErrors(400, 401, 403, 404)
  async setStarterBot(@Body() body: SetStarterBotDto): Promise<StarterBotDto> {
    return this.starterBotDto(await this.rules.setStarterBot(tenant().orgId, body.enabled));
  }

  @Get('flows')
  @ApiOperation({ operationId: 'listFlows', summary: 'Drip flows, with how many contacts are in each' })
  @ApiOkResponse({ type: [FlowDto] })
  @ApiErrors(401, 403, 404)
  async listFlows(): Promise<FlowDto[]> {
    return this.flowDtos(await this.flows.list(tenant().orgId));
  }

  @Post('flows')
  @ApiOperation({ operationId: 'createFlow', summary: 'Create a drip flow' })
  @ApiCreatedResponse({ type: FlowDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async createFlow(@Body() body: CreateFlowDto): Promise<FlowDto> {
    return this.flowDto(await this.flows.create(tenant().orgId, body));
  }

  @Get('flows/:id')
  @ApiOperation({ operationId: 'getFlow', summary: 'One drip flow' })
  @ApiOkResponse({ type: FlowDto })
  @ApiErrors(401, 403, 404)
  async getFlow(@Param('id') id: string): Promise<FlowDto> {
    return this.flowDto(await this.flows.get(tenant().orgId, id));
  }

  @Patch('flows/:id')
  @ApiOperation({ operationId: 'updateFlow', summary: 'Change a flow (contacts in it carry on from their step)' })
  @ApiOkResponse({ type: FlowDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async updateFlow(@Param('id') id: string, @Body() body: UpdateFlowDto): Promise<FlowDto> {
    return this.flowDto(await this.flows.update(tenant().orgId, id, body));
  }

  @Delete('flows/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteFlow', summary: 'Delete a flow; contacts in it stop where they are' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async deleteFlow(@Param('id') id: string): Promise<void> {
    await this.flows.delete(tenant().orgId, id);
  }

  @Post('flows/:id/enrollments')
  @ApiOperation({ operationId: 'enrollInFlow', summary: 'Put a contact through a flow, starting now' })
  @ApiCreatedResponse({ type: FlowEnrollmentDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async enroll(@Param('id') id: string, @Body() body: EnrollContactDto): Promise<FlowEnrollmentDto> {
    return FlowEnrollmentDto.from(await this.flows.enroll(tenant().orgId, id, body.contactId));
  }

  @Get('flows/:id/enrollments')
  @ApiOperation({ operationId: 'listFlowEnrollments', summary: "A flow's contacts, where each is, and why any left" })
  @ApiPageResponse(FlowEnrollmentDto)
  @ApiErrors(400, 401, 403, 404)
  async enrollments(@Param('id') id: string, @Query() query: FlowEnrollmentsQuery): Promise<Page<FlowEnrollmentDto>> {
    return mapPage(await this.flows.enrollments(tenant().orgId, id, query), FlowEnrollmentDto.from);
  }

  private starterBotDto(bot: Awaited<ReturnType<AutomationRulesService['starterBot']>>): StarterBotDto {
    return { enabled: bot.enabled, rules: bot.rules.map(AutomationRuleDto.from) };
  }

  private async flowDto(flow: Flow): Promise<FlowDto> {
    const [dto] = await this.flowDtos([flow]);
    return dto as FlowDto;
  }

  private async flowDtos(flows: Flow[]): Promise<FlowDto[]> {
    const counts = await this.flows.counts(
      tenant().orgId,
      flows.map((flow) => flow.id),
    );
    return flows.map((flow) => FlowDto.from(flow, counts.get(flow.id) ?? { active: 0, completed: 0, exited: 0 }));
  }
}
