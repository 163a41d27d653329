import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiIdempotencyKey, ApiOrgScoped, IdempotencyKey, principal, tenant } from '@parley/api/core';
import { ConversationsService } from './conversations.service';
import { MessageDto } from './dto/message.dto';
import { PartnerSendMessageDto } from './dto/send-message.dto';
import { OutboundService } from './outbound.service';

/** Sending by phone number, for partners' systems: Meta's own body shape. */
@ApiTags('Messages')
@ApiOrgScoped()
@Controller('orgs/:orgId/messages')
export class MessagesController {
  constructor(
    private readonly outbound: OutboundService,
    private readonly conversations: ConversationsService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'sendMessage',
    summary: "Send to a phone number in Meta's body shape; the contact and conversation are created when needed",
    description:
      "Checked against Meta's rules before anything is stored (422 `OUTSIDE_CUSTOMER_SERVICE_WINDOW`, `template_not_found`, " +
      '`template_not_approved`, `template_parameter_mismatch`, `contact_opted_out`, `media_not_accepted`), then queued and sent ' +
      "by the worker at the number's pace. Follow its status here or through webhooks.",
  })
  @ApiIdempotencyKey()
  @ApiAcceptedResponse({ type: MessageDto })
  @ApiErrors(400, 401, 403, 404, 422, 502)
  async send(@Body() body: PartnerSendMessageDto, @IdempotencyKey() idempotencyKey?: string): Promise<MessageDto> {
    const caller = principal();
    const message = await this.outbound.sendToPhone(tenant().orgId, body, {
      idempotencyKey,
      senderId: caller.kind === 'user' ? caller.userId : null,
    });
    return MessageDto.from(message);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getMessage', summary: 'A message with its status, times and error' })
  @ApiOkResponse({ type: MessageDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<MessageDto> {
    return MessageDto.from(await this.conversations.getMessage(tenant().orgId, id));
  }
}
