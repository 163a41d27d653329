import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { NOT_NULL, Optional, PageQuery, Trim } from '@parley/api/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  ValidateIf,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  ATTRIBUTE_OPERATORS,
  type AttributeOperator,
  CAMPAIGN_STATUSES,
  type CampaignStatus,
  type ParameterSource,
  type Campaign,
} from '../entities/campaign.entity';

/** Explicit audiences (a list or a CSV) up to this many entries. */
export const MAX_EXPLICIT_AUDIENCE = 100_000;

export class TagConditionDto {
  @ApiPropertyOptional({ type: [String], description: 'Contacts with at least one of these tags' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  any?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Contacts with every one of these tags' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  all?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Contacts with none of these tags' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  none?: string[];
}

export class AttributeConditionDto {
  @ApiProperty({ example: 'city' })
  @IsString()
  @Length(1, 64)
  key!: string;

  @ApiProperty({
    enum: ATTRIBUTE_OPERATORS,
    description: 'eq, neq and contains compare as text (contains ignores case)',
  })
  @IsIn(ATTRIBUTE_OPERATORS)
  op!: AttributeOperator;

  @ApiPropertyOptional({ example: 'Lisbon', description: 'Required except for exists and not_exists' })
  @Optional()
  @IsString()
  @MaxLength(500)
  value?: string;
}

export class AudienceDto {
  @ApiPropertyOptional({ type: TagConditionDto })
  @Optional()
  @ValidateNested()
  @Type(() => TagConditionDto)
  tags?: TagConditionDto;

  @ApiPropertyOptional({ type: [AttributeConditionDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttributeConditionDto)
  attributes?: AttributeConditionDto[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'An explicit list of contacts' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_EXPLICIT_AUDIENCE)
  @IsUUID('all', { each: true, message: 'contactIds must hold contact ids' })
  contactIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['+351912345678'],
    description:
      'An explicit list of phone numbers, such as a CSV column; numbers of no contact are counted as skipped',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_EXPLICIT_AUDIENCE)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  phones?: string[];
}

const PARAMETERS_DESCRIPTION =
  'Template parameter key (`body.1`, `body.first_name`, `header.1`, `button.0`) → where each recipient’s value comes from: ' +
  '`{source: "contact", field: "name" | "first_name" | "phone", fallback?}`, `{source: "attribute", key, fallback?}` or ' +
  '`{source: "text", value}`. A recipient whose value is empty and has no fallback is skipped (missing_parameter).';

export class CreateCampaignDto {
  @ApiProperty({ example: 'Spring sale' })
  @Trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'The business phone number (our id) that sends' })
  @IsUUID('all', { message: 'phoneNumberId must be a phone number id' })
  phoneNumberId!: string;

  @ApiProperty({ format: 'uuid', description: 'An approved template on that number’s WABA account' })
  @IsUUID('all', { message: 'templateId must be a template id' })
  templateId!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    description: PARAMETERS_DESCRIPTION,
    example: { 'body.1': { source: 'contact', field: 'first_name', fallback: 'there' } },
  })
  @Optional()
  @IsObject()
  parameters?: Record<string, ParameterSource>;

  @ApiPropertyOptional({ type: AudienceDto })
  @Optional()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When launch sends it' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'scheduledAt must be an ISO 8601 date-time' })
  scheduledAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Europe/Lisbon', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A drip flow for recipients who reply (within 72 hours of their message)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'replyFlowId must be a flow id' })
  replyFlowId?: string | null;
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto, NOT_NULL) {}

export class LaunchCampaignDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Send at this time instead of now (overrides the campaign’s scheduledAt)',
  })
  @Optional()
  @IsDateString({ strict: true }, { message: 'scheduledAt must be an ISO 8601 date-time' })
  scheduledAt?: string;
}

export class EstimateCampaignDto {
  @ApiPropertyOptional({ type: AudienceDto })
  @Optional()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'With parameters: counts recipients a mapping leaves empty' })
  @Optional()
  @IsUUID('all', { message: 'templateId must be a template id' })
  templateId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true } })
  @Optional()
  @IsObject()
  parameters?: Record<string, ParameterSource>;
}

export class AudienceEstimateDto {
  @ApiProperty({ example: 1200, description: 'Contacts matching the audience' })
  matched!: number;

  @ApiProperty({ example: 1100, description: 'Of those, how many would be sent to' })
  eligible!: number;

  @ApiProperty({ example: 100 })
  skipped!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { not_opted_in: 60, opted_out: 40 },
    description: 'not_opted_in, opted_out, invalid_number, missing_parameter, unknown_number',
  })
  skippedByReason!: Record<string, number>;
}

export class CampaignStatsDto {
  @ApiProperty({ description: 'Recipients in the audience, skipped ones included' })
  targeted!: number;
  @ApiProperty({ description: 'Not sent to: not opted in, opted out, invalid or unknown number, missing parameter' })
  skipped!: number;
  @ApiProperty({ description: 'Waiting to be sent' })
  queued!: number;
  @ApiProperty({ description: 'Accepted by Meta (delivered and read ones included)' })
  sent!: number;
  @ApiProperty({ description: 'Delivered to the phone (read ones included)' })
  delivered!: number;
  @ApiProperty()
  read!: number;
  @ApiProperty({ description: 'Recipients who wrote back within 72 hours of delivery' })
  replied!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty({ description: 'Not sent because the campaign was cancelled' })
  cancelled!: number;
}

export class FailureCountDto {
  @ApiProperty({ type: Number, nullable: true, example: 131026, description: "Meta's error code (null: refused here)" })
  code!: number | null;
  @ApiProperty({ example: 'Message undeliverable' })
  title!: string;
  @ApiProperty()
  count!: number;
}

export class CampaignStatsDetailDto extends CampaignStatsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { opted_out: 3 } })
  skippedByReason!: Record<string, number>;
  @ApiProperty({ type: [FailureCountDto] })
  failedByCode!: FailureCountDto[];
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES, enumName: 'CampaignStatus' })
  status!: CampaignStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why the platform paused or failed it' })
  statusReason!: string | null;
  @ApiProperty({ format: 'uuid' })
  phoneNumberId!: string;
  @ApiProperty({ format: 'uuid' })
  templateId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true } })
  parameters!: Record<string, ParameterSource>;
  @ApiProperty({ type: AudienceDto })
  audience!: AudienceDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  scheduledAt!: Date | null;
  @ApiProperty({ type: String, nullable: true })
  timezone!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The drip flow for recipients who reply' })
  replyFlowId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: Date | null;
  @ApiProperty({ type: CampaignStatsDto })
  stats!: CampaignStatsDto;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;

  static from(campaign: Campaign, stats: CampaignStatsDto): CampaignDto {
    return {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      statusReason: campaign.statusReason,
      phoneNumberId: campaign.phoneNumberId,
      templateId: campaign.templateId,
      parameters: campaign.parameters,
      audience: campaign.audience,
      scheduledAt: campaign.scheduledAt,
      timezone: campaign.timezone,
      replyFlowId: campaign.replyFlowId,
      startedAt: campaign.startedAt,
      completedAt: campaign.completedAt,
      stats,
      createdAt: campaign.createdAt,
      updatedAt: campaign.updatedAt,
    };
  }
}

export class CampaignsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, enumName: 'CampaignStatus' })
  @Optional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}

export const RECIPIENT_STATUSES = [
  'pending',
  'skipped',
  'cancelled',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export class RecipientsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RECIPIENT_STATUSES, enumName: 'RecipientStatus' })
  @Optional()
  @IsIn(RECIPIENT_STATUSES)
  status?: RecipientStatus;

  @ApiPropertyOptional({ description: 'Only recipients who replied (true)' })
  @Optional()
  @IsIn(['true', 'false'])
  replied?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Phone number contains' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 32)
  q?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: every matching recipient as a CSV file' })
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class CampaignRecipientDto {
  @ApiProperty({ example: '1042' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  contactId!: string;
  @ApiProperty({ example: '+351912345678' })
  phone!: string;
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;
  @ApiProperty({ enum: RECIPIENT_STATUSES, enumName: 'RecipientStatus' })
  status!: RecipientStatus;
  @ApiProperty({ type: String, nullable: true, example: 'opted_out' })
  skipReason!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  messageId!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  errorCode!: number | null;
  @ApiProperty({ type: String, nullable: true })
  errorTitle!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt!: Date | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'First reply within 72 hours of delivery',
  })
  repliedAt!: Date | null;
}
