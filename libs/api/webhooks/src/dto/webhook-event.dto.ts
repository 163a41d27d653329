import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, PageQuery } from '@parley/api/core';
import { IsIn } from 'class-validator';
import { WEBHOOK_EVENT_STATUSES, WebhookEvent, WebhookEventStatus } from '../entities/webhook-event.entity';

export class WebhookEventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_STATUSES })
  @Optional()
  @IsIn(WEBHOOK_EVENT_STATUSES)
  status?: WebhookEventStatus;
}

export class WebhookEventDto {
  @ApiProperty({ example: '1042' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  wabaAccountId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_STATUSES })
  status!: WebhookEventStatus;

  @ApiProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty()
  receivedAt!: Date;

  @ApiProperty({ type: Date, nullable: true })
  processedAt!: Date | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The POST body as Meta sent it' })
  payload!: Record<string, unknown>;

  static from(event: WebhookEvent): WebhookEventDto {
    return {
      id: event.id,
      wabaAccountId: event.wabaAccountId,
      status: event.status,
      attempts: event.attempts,
      lastError: event.lastError,
      receivedAt: event.receivedAt,
      processedAt: event.processedAt,
      payload: event.payload,
    };
  }
}
