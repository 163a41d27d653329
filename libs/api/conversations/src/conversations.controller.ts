import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiOrgScoped,
  ApiPageResponse,
  IdempotencyKey,
  mapPage,
  Page,
  PageQuery,
  principal,
  tenant,
} from '@parley/api/core';
import { ConversationsService } from './conversations.service';
import { ConversationDto, ConversationsQuery, UpdateConversationDto } from './dto/conversation.dto';
import { MessageDto } from './dto/message.dto';
import { CreateNoteDto, NoteDto } from './dto/note.dto';
import { SendMessageDto } from './dto/send-message.dto';
import { OutboundService } from './outbound.service';

/** The signed-in member acting, or null for an API key. */
const memberId = () => {
  const caller = principal();
  return caller.kind === 'user' ? caller.userId : null;
};

@ApiTags('Conversations')
@ApiOrgScoped()
@Controller('orgs/:orgId/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly outbound: OutboundService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listConversations',
    summary: 'The inbox: conversations by latest activity, filtered by status, assignee, unread, tag or text',
  })
  @ApiPageResponse(ConversationDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: ConversationsQuery): Promise<Page<ConversationDto>> {
    const page = await this.conversations.list(tenant().orgId, memberId(), query);
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

  @Post(':id/messages')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'sendConversationMessage',
    summary: "Reply in a conversation: checked against Meta's rules, stored as queued, sent by the worker",
    description:
      "The body is Meta's send body without `to`. Free-form messages need the customer to have written within 24 hours " +
      '(else 422 `OUTSIDE_CUSTOMER_SERVICE_WINDOW`); templates must be approved and their parameters must match.',
  })
  @ApiIdempotencyKey()
  @ApiAcceptedResponse({ type: MessageDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 502)
  async send(
    @Param('id') id: string,
    @Body() body: SendMessageDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<MessageDto> {
    const message = await this.outbound.sendInConversation(tenant().orgId, id, body, {
      idempotencyKey,
      senderId: memberId(),
    });
    return MessageDto.from(message);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'markConversationRead',
    summary: "Mark read: unread count to zero, and a read receipt (blue ticks) for the customer's last message",
  })
  @ApiOkResponse({ type: ConversationDto })
  @ApiErrors(401, 403, 404)
  async read(@Param('id') id: string): Promise<ConversationDto> {
    return ConversationDto.from(await this.conversations.markRead(tenant().orgId, id));
  }

  @Get(':id/notes')
  @ApiOperation({ operationId: 'listConversationNotes', summary: "A conversation's private notes, newest first" })
  @ApiPageResponse(NoteDto)
  @ApiErrors(400, 401, 403, 404)
  async notes(@Param('id') id: string, @Query() query: PageQuery): Promise<Page<NoteDto>> {
    return mapPage(await this.conversations.notesOf(tenant().orgId, id, query), NoteDto.from);
  }

  @Post(':id/notes')
  @ApiOperation({
    operationId: 'addConversationNote',
    summary: 'Add a private note for the team (never sent to the customer)',
  })
  @ApiCreatedResponse({ type: NoteDto })
  @ApiErrors(400, 401, 403, 404)
  async addNote(@Param('id') id: string, @Body() body: CreateNoteDto): Promise<NoteDto> {
    return NoteDto.from(await this.conversations.addNote(tenant().orgId, id, memberId(), body.body));
  }
}
