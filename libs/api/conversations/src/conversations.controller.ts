import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiOrgScoped,
  ApiPageResponse,
  mapPage,
  Page,
  PageQuery,
  principal,
  tenant,
} from '@parley/api/core';
import { ConversationsService } from './conversations.service';
import { ConversationDto, ConversationsQuery, UpdateConversationDto } from './dto/conversation.dto';
import { MessageDto } from './dto/message.dto';

@ApiTags('Conversations')
@ApiOrgScoped()
@Controller('orgs/:orgId/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listConversations',
    summary: 'The inbox: conversations by latest activity, filtered by status, assignee, unread, tag or text',
  })
  @ApiPageResponse(ConversationDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: ConversationsQuery): Promise<Page<ConversationDto>> {
    const caller = principal();
    const page = await this.conversations.list(tenant().orgId, caller.kind === 'user' ? caller.userId : null, query);
    return mapPage(page, ConversationDto.from);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getConversation', summary: 'A conversation with its contact and window' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<ConversationDto> {
    return ConversationDto.from(await this.conversations.get(tenant().orgId, id));
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateConversation',
    summary: 'Set the status (open, pending, resolved) or the assignee',
  })
  @ApiOkResponse({ type: ConversationDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Param('id') id: string, @Body() body: UpdateConversationDto): Promise<ConversationDto> {
    return ConversationDto.from(await this.conversations.update(tenant().orgId, id, body));
  }

  @Get(':id/messages')
  @ApiOperation({ operationId: 'listConversationMessages', summary: "A conversation's messages, newest first" })
  @ApiPageResponse(MessageDto)
  @ApiErrors(400, 401, 403, 404)
  async messages(@Param('id') id: string, @Query() query: PageQuery): Promise<Page<MessageDto>> {
    return mapPage(await this.conversations.messagesOf(tenant().orgId, id, query), MessageDto.from);
  }
}
