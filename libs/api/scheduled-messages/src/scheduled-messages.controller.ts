import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, principal, tenant } from '@parley/api/core';
import { CreateScheduledMessageDto, ScheduledMessageDto, ScheduledMessagesQuery } from './dto/scheduled-message.dto';
import { ScheduledMessagesService } from './scheduled-messages.service';

/** The member behind the request, or null for an API key. */
const memberId = () => {
  const caller = principal();
  return caller.kind === 'user' ? caller.userId : null;
};

@ApiTags('Scheduled messages')
@ApiOrgScoped()
@Controller('orgs/:orgId/scheduled-messages')
export class ScheduledMessagesController {
  constructor(private readonly scheduled: ScheduledMessagesService) {}

  @Post()
  @ApiOperation({
    operationId: 'createScheduledMessage',
    summary: 'Schedule an approved template to a contact at a set time (checked now as a send would be)',
  })
  @ApiCreatedResponse({ type: ScheduledMessageDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async create(@Body() body: CreateScheduledMessageDto): Promise<ScheduledMessageDto> {
    return ScheduledMessageDto.from(await this.scheduled.create(tenant().orgId, memberId(), body));
  }

  @Get()
  @ApiOperation({
    operationId: 'listScheduledMessages',
    summary: 'Scheduled messages in the order they go out, filtered by contact or status',
  })
  @ApiPageResponse(ScheduledMessageDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: ScheduledMessagesQuery): Promise<Page<ScheduledMessageDto>> {
    return mapPage(await this.scheduled.list(tenant().orgId, query), ScheduledMessageDto.from);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getScheduledMessage', summary: 'A scheduled message, with the message it became' })
  @ApiOkResponse({ type: ScheduledMessageDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<ScheduledMessageDto> {
    return ScheduledMessageDto.from(await this.scheduled.get(tenant().orgId, id));
  }

  @Delete(':id')
  @ApiOperation({
    operationId: 'cancelScheduledMessage',
    summary: 'Cancel a scheduled message that has not gone out yet (409 once it has)',
  })
  @ApiOkResponse({ type: ScheduledMessageDto, description: 'Cancelled' })
  @ApiErrors(401, 403, 404, 409)
  async cancel(@Param('id') id: string): Promise<ScheduledMessageDto> {
    return ScheduledMessageDto.from(await this.scheduled.cancel(tenant().orgId, id));
  }
}
