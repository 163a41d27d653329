import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, PageQuery } from '@parley/api/core';
import { IsIn, IsISO8601, IsObject, IsUUID, Matches } from 'class-validator';
import {
  SCHEDULED_MESSAGE_STATUSES,
  ScheduledMessage,
  ScheduledMessageStatus,
} from '../entities/scheduled-message.entity';

/** How far ahead a message can be scheduled. */
export const MAX_SCHEDULE_AHEAD_DAYS = 30;

const TEMPLATE_EXAMPLE = {
  name: 'order_update',
  language: { code: 'en_US' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
};

export class CreateScheduledMessageDto {
  @ApiProperty({ format: 'uuid', description: 'The contact it goes to' })
  @IsUUID()
  contactId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Our id of the business number to send from; default: the number the contact last talked to, else the org's first number",
  })
  @Optional()
  @IsUUID()
  phoneNumberId?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "Meta's template send object: an APPROVED template of the number's WhatsApp account with its parameters, checked now as a send would be",
    example: TEMPLATE_EXAMPLE,
  })
  @IsObject()
  template!: Record<string, unknown>;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: `When to send (ISO 8601 with a time zone): in the future, at most ${MAX_SCHEDULE_AHEAD_DAYS} days ahead`,
    example: '2030-06-01T09:00:00Z',
  })
  @IsISO8601({ strict: true }, { message: 'scheduledAt must be an ISO 8601 date-time' })
  @Matches(/T.*(Z|[+-]\d{2}(:?\d{2})?)$/i, {
    message: 'scheduledAt must be a date-time with a time zone (Z or ±hh:mm)',
  })
  scheduledAt!: string;
}

export class ScheduledMessagesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this contact's" })
  @Optional()
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ enum: SCHEDULED_MESSAGE_STATUSES })
  @Optional()
  @IsIn(SCHEDULED_MESSAGE_STATUSES)
  status?: ScheduledMessageStatus;
}

export class ScheduledMessageErrorDto {
  @ApiProperty({ example: 'template_not_approved', description: 'The error code a send would have answered' })
  code!: string;

  @ApiProperty({ example: 'Template order_update (en_US) is PAUSED; only APPROVED templates can be sent' })
  message!: string;
}

export class ScheduledMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  contactId!: string;

  @ApiProperty({ format: 'uuid', description: 'Our id of the business number it goes from' })
  phoneNumberId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: TEMPLATE_EXAMPLE })
  template!: Record<string, unknown>;

  @ApiProperty()
  scheduledAt!: Date;

  @ApiProperty({
    enum: SCHEDULED_MESSAGE_STATUSES,
    description: '`scheduled` until due, `sending` while the worker hands it over, then `sent` or `failed`',
  })
  status!: ScheduledMessageStatus;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The message it became, once sent' })
  messageId!: string | null;

  @ApiProperty({ type: ScheduledMessageErrorDto, nullable: true, description: 'Why it failed' })
  error!: ScheduledMessageErrorDto | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The member who scheduled it (null for API keys and former members)',
  })
  createdBy!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(row: ScheduledMessage): ScheduledMessageDto {
    return {
      id: row.id,
      contactId: row.contactId,
      phoneNumberId: row.phoneNumberId,
      template: row.template,
      scheduledAt: row.scheduledAt,
      status: row.status,
      messageId: row.messageId,
      error: row.errorCode !== null ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
