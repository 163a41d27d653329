import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, principal, tenant } from '@parley/api/core';
import { CreateQuickReplyDto, QuickRepliesQuery, QuickReplyDto, UpdateQuickReplyDto } from './dto/quick-reply.dto';
import { QuickRepliesService } from './quick-replies.service';

/** The member behind the request, or null for an API key. */
const memberId = () => {
  const caller = principal();
  return caller.kind === 'user' ? caller.userId : null;
};

@ApiTags('Quick replies')
@ApiOrgScoped()
@Controller('orgs/:orgId/quick-replies')
export class QuickRepliesController {
  constructor(private readonly replies: QuickRepliesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listQuickReplies',
    summary: "The team's quick replies in shortcut order, searched by shortcut or text",
  })
  @ApiPageResponse(QuickReplyDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: QuickRepliesQuery): Promise<Page<QuickReplyDto>> {
    return mapPage(await this.replies.list(tenant().orgId, query), QuickReplyDto.from);
  }

  @Post()
  @ApiOperation({
    operationId: 'createQuickReply',
    summary: 'Add a quick reply, inserted in the composer by typing / and its shortcut',
  })
  @ApiCreatedResponse({ type: QuickReplyDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async create(@Body() body: CreateQuickReplyDto): Promise<QuickReplyDto> {
    return QuickReplyDto.from(await this.replies.create(tenant().orgId, memberId(), body));
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateQuickReply', summary: "Change a quick reply's shortcut or text" })
  @ApiOkResponse({ type: QuickReplyDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async update(@Param('id') id: string, @Body() body: UpdateQuickReplyDto): Promise<QuickReplyDto> {
    return QuickReplyDto.from(await this.replies.update(tenant().orgId, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteQuickReply', summary: 'Delete a quick reply' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async delete(@Param('id') id: string): Promise<void> {
    await this.replies.delete(tenant().orgId, id);
  }
}
