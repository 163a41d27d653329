import { Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, tenant } from '@parley/api/core';
import type { Request } from 'express';
import { WebhookEventDto, WebhookEventsQuery } from './dto/webhook-event.dto';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookIngestService } from './webhook-ingest.service';

/** Where Meta calls: the URL each WABA account shows as `webhookUrl`. */
@ApiTags('Webhooks')
@Controller('webhooks/whatsapp')
export class WhatsAppWebhookController {
  constructor(private readonly ingest: WebhookIngestService) {}

  @Get(':wabaAccountId')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({
    operationId: 'verifyWhatsAppWebhook',
    summary: "Meta's verification handshake: echoes hub.challenge when hub.verify_token matches",
  })
  @ApiQuery({ name: 'hub.mode', required: true, example: 'subscribe' })
  @ApiQuery({ name: 'hub.verify_token', required: true })
  @ApiQuery({ name: 'hub.challenge', required: true, example: '1158201444' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The challenge, as plain text', schema: { type: 'string' } })
  @ApiErrors(403)
  verify(
    @Param('wabaAccountId') wabaAccountId: string,
    @Query('hub.mode') mode?: string,
    @Query('hub.verify_token') token?: string,
    @Query('hub.challenge') challenge?: string,
  ): Promise<string> {
    return this.ingest.verify(wabaAccountId, mode, token, challenge);
  }

  /** Documents the route; `receiveWebhooksFirst` answers it ahead of Express, with the same service. */
  @Post(':wabaAccountId')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveWhatsAppWebhook',
    summary: 'Receives a webhook from Meta: signature checked on the raw body, stored, queued, acknowledged',
  })
  @ApiHeader({
    name: 'X-Hub-Signature-256',
    required: true,
    description: 'sha256=<hex HMAC-SHA256 of the raw body with the app secret>',
  })
  @ApiBody({
    description: "Meta's webhook payload (at most 3 MB)",
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({ description: 'Stored; it will be processed' })
  @ApiErrors(400, 401, 404, 413)
  async receive(
    @Param('wabaAccountId') wabaAccountId: string,
    @Req() req: Request,
    @Headers('x-hub-signature-256') signature?: string,
  ): Promise<void> {
    await this.ingest.receive(wabaAccountId, req.body, signature);
  }
}

@ApiTags('Webhooks')
@ApiOrgScoped()
@Controller('orgs/:orgId/webhook-events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listWebhookEvents',
    summary: "Meta's webhooks as received, newest first, with their processing status",
  })
  @ApiPageResponse(WebhookEventDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: WebhookEventsQuery): Promise<Page<WebhookEventDto>> {
    return mapPage(await this.events.list(tenant().orgId, query), WebhookEventDto.from);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'replayWebhookEvent',
    summary: 'Process a stored webhook again (dead ones after a fix); applying twice changes nothing',
  })
  @ApiAcceptedResponse({ type: WebhookEventDto })
  @ApiErrors(401, 403, 404)
  async replay(@Param('id') id: string): Promise<WebhookEventDto> {
    return WebhookEventDto.from(await this.events.replay(tenant().orgId, id));
  }
}
