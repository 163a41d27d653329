import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
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
import {
  CreatedWebhookSubscriptionDto,
  CreateWebhookSubscriptionDto,
  UpdateWebhookSubscriptionDto,
  WebhookDeliveriesQuery,
  WebhookDeliveryAttemptDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookSecretDto,
  WebhookSubscriptionDto,
} from './dto/webhook-subscription.dto';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

@ApiTags('Partner webhooks')
@ApiOrgScoped()
@Controller('orgs/:orgId')
export class WebhookSubscriptionsController {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  @Post('webhook-subscriptions')
  @ApiOperation({
    operationId: 'createWebhookSubscription',
    summary: 'Subscribe a URL to events; the response is the only time the signing secret is shown',
  })
  @ApiCreatedResponse({ type: CreatedWebhookSubscriptionDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async create(@Body() body: CreateWebhookSubscriptionDto): Promise<CreatedWebhookSubscriptionDto> {
    const caller = principal();
    const { subscription, secret } = await this.subscriptions.create(
      tenant().orgId,
      body,
      caller.kind === 'user' ? caller.userId : null,
    );
    return { ...WebhookSubscriptionDto.from(subscription), secret };
  }

  @Get('webhook-subscriptions')
  @ApiOperation({ operationId: 'listWebhookSubscriptions', summary: 'List webhook subscriptions, newest first' })
  @ApiPageResponse(WebhookSubscriptionDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: PageQuery): Promise<Page<WebhookSubscriptionDto>> {
    return mapPage(await this.subscriptions.list(tenant().orgId, query), WebhookSubscriptionDto.from);
  }

  @Get('webhook-subscriptions/:id')
  @ApiOperation({ operationId: 'getWebhookSubscription', summary: 'Get a webhook subscription' })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<WebhookSubscriptionDto> {
    return WebhookSubscriptionDto.from(await this.subscriptions.get(tenant().orgId, id));
  }

  @Patch('webhook-subscriptions/:id')
  @ApiOperation({
    operationId: 'updateWebhookSubscription',
    summary: 'Change the URL, events or description, or switch a subscription off or back on',
  })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async update(@Param('id') id: string, @Body() body: UpdateWebhookSubscriptionDto): Promise<WebhookSubscriptionDto> {
    return WebhookSubscriptionDto.from(await this.subscriptions.update(tenant().orgId, id, body));
  }

  @Delete('webhook-subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhookSubscription', summary: 'Delete a subscription and its delivery log' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async remove(@Param('id') id: string): Promise<void> {
    await this.subscriptions.remove(tenant().orgId, id);
  }

  @Post('webhook-subscriptions/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: 'Replace the signing secret (in force at once); the response is the only time it is shown',
  })
  @ApiOkResponse({ type: WebhookSecretDto })
  @ApiErrors(401, 403, 404)
  async rotateSecret(@Param('id') id: string): Promise<WebhookSecretDto> {
    return { secret: await this.subscriptions.rotateSecret(tenant().orgId, id) };
  }

  @Post('webhook-subscriptions/:id/test')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'testWebhookSubscription',
    summary: 'Send a `webhook.test` event to this subscription; follow it in the delivery log',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiErrors(401, 403, 404)
  async test(@Param('id') id: string): Promise<WebhookDeliveryDto> {
    return WebhookDeliveryDto.from(await this.subscriptions.test(tenant().orgId, id));
  }

  @Get('webhook-subscriptions/:id/deliveries')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "A subscription's delivery log, newest first: status, tries, last answer and latency",
  })
  @ApiPageResponse(WebhookDeliveryDto)
  @ApiErrors(400, 401, 403, 404)
  async deliveries(@Param('id') id: string, @Query() query: WebhookDeliveriesQuery): Promise<Page<WebhookDeliveryDto>> {
    return mapPage(await this.subscriptions.listDeliveries(tenant().orgId, id, query), WebhookDeliveryDto.from);
  }

  @Get('webhook-deliveries/:id')
  @ApiOperation({ operationId: 'getWebhookDelivery', summary: 'A delivery with the body sent and every try' })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  @ApiErrors(401, 403, 404)
  async delivery(@Param('id') id: string): Promise<WebhookDeliveryDetailDto> {
    const { delivery, attempts } = await this.subscriptions.delivery(tenant().orgId, id);
    return {
      ...WebhookDeliveryDto.from(delivery),
      payload: delivery.payload,
      attemptLog: attempts.map(WebhookDeliveryAttemptDto.from),
    };
  }

  @Post('webhook-deliveries/:id/redeliver')
  @ApiOperation({
    operationId: 'redeliverWebhook',
    summary: 'Send a delivered or failed event again, as a new delivery with the same event id',
  })
  @ApiCreatedResponse({ type: WebhookDeliveryDto })
  @ApiErrors(401, 403, 404)
  async redeliver(@Param('id') id: string): Promise<WebhookDeliveryDto> {
    return WebhookDeliveryDto.from(await this.subscriptions.redeliver(tenant().orgId, id));
  }
}
