import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { NOT_NULL, Optional, PageQuery, PARTNER_EVENT_TYPES, type PartnerEventType, Trim } from '@parley/api/core';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsString, Length, MaxLength } from 'class-validator';
import type { WebhookDeliveryAttempt } from '../entities/webhook-delivery-attempt.entity';
import { DELIVERY_STATUSES, type DeliveryStatus, type WebhookDelivery } from '../entities/webhook-delivery.entity';
import type { WebhookSubscription } from '../entities/webhook-subscription.entity';

export class CreateWebhookSubscriptionDto {
  @ApiProperty({
    example: 'https://crm.example.com/parley/webhooks',
    description: 'http(s); private, loopback and link-local addresses are refused',
    maxLength: 2000,
  })
  @Trim()
  @IsString()
  @Length(1, 2000)
  url!: string;

  @ApiProperty({ enum: PARTNER_EVENT_TYPES, isArray: true, example: ['message.received', 'message.status'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PARTNER_EVENT_TYPES, { each: true })
  events!: PartnerEventType[];

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 200 })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'Switching it back on clears the failure streak' })
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookSubscriptionDto extends PartialType(CreateWebhookSubscriptionDto, NOT_NULL) {}

export class WebhookSubscriptionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://crm.example.com/parley/webhooks' })
  url!: string;

  @ApiProperty({ enum: PARTNER_EVENT_TYPES, isArray: true })
  events!: PartnerEventType[];

  @ApiProperty({ type: String, nullable: true, example: 'CRM sync' })
  description!: string | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['failing', 'disabled'],
    description: '`failing`: switched off after too many failed deliveries in a row; `disabled`: by a person',
  })
  disabledReason!: string | null;

  @ApiProperty({ description: 'Failed tries since the last delivered event', example: 0 })
  failureStreak!: number;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  createdById!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(subscription: WebhookSubscription): WebhookSubscriptionDto {
    return {
      id: subscription.id,
      url: subscription.url,
      events: subscription.events as PartnerEventType[],
      description: subscription.description,
      enabled: subscription.enabled,
      disabledReason: subscription.disabledReason,
      failureStreak: subscription.failureStreak,
      createdById: subscription.createdById,
      createdAt: subscription.createdAt,
      updatedAt: subscription.updatedAt,
    };
  }
}

export class WebhookSecretDto {
  @ApiProperty({
    example: 'whsec_3q2J9yTgX0VwQmZp1c8aR4kLbN7sD5eF6hU0iO2pA9',
    description: 'Signs every delivery (header `X-Parley-Signature`); shown only in this response',
  })
  secret!: string;
}

export class CreatedWebhookSubscriptionDto extends WebhookSubscriptionDto {
  @ApiProperty({
    example: 'whsec_3q2J9yTgX0VwQmZp1c8aR4kLbN7sD5eF6hU0iO2pA9',
    description: 'Shown only in this response',
  })
  secret!: string;
}

export class WebhookDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Optional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ format: 'uuid', description: 'The same on every delivery of the event: dedupe by it' })
  eventId!: string;

  @ApiProperty({ example: 'message.received' })
  eventType!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({ type: Date, nullable: true, description: 'When the next try is due (pending only)' })
  nextAttemptAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, example: 200 })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  lastError!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 84 })
  lastLatencyMs!: number | null;

  @ApiProperty({ type: Date, nullable: true })
  deliveredAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;

  static from(delivery: WebhookDelivery): WebhookDeliveryDto {
    return {
      id: delivery.id,
      subscriptionId: delivery.subscriptionId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
      lastStatusCode: delivery.lastStatusCode,
      lastError: delivery.lastError,
      lastLatencyMs: delivery.lastLatencyMs,
      deliveredAt: delivery.deliveredAt,
      createdAt: delivery.createdAt,
    };
  }
}

export class WebhookDeliveryAttemptDto {
  @ApiProperty({ example: 1 })
  attempt!: number;

  @ApiProperty({ type: Number, nullable: true, example: 503, description: 'Null when no answer came' })
  statusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'answered 503' })
  error!: string | null;

  @ApiProperty({ example: 84 })
  latencyMs!: number;

  @ApiProperty()
  createdAt!: Date;

  static from(attempt: WebhookDeliveryAttempt): WebhookDeliveryAttemptDto {
    return {
      attempt: attempt.attempt,
      statusCode: attempt.statusCode,
      error: attempt.error,
      latencyMs: attempt.latencyMs,
      createdAt: attempt.createdAt,
    };
  }
}

export class WebhookDeliveryDetailDto extends WebhookDeliveryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The exact body sent: `{id, type, orgId, createdAt, data}`',
  })
  payload!: object;

  @ApiProperty({ type: [WebhookDeliveryAttemptDto] })
  attemptLog!: WebhookDeliveryAttemptDto[];
}
