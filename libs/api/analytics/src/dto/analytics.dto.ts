import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { CAMPAIGN_STATUSES, type CampaignStatus, CampaignStatsDto } from '@parley/api/campaigns';
import { Optional, type Role, ROLES, Trim } from '@parley/api/core';
import { IsIn, IsString, MaxLength } from 'class-validator';

/**
 * The period of a report. Dates are checked by the service rather than by decorators, so a date
 * that does not exist, a period upside down or too long, and an unknown zone all answer the same
 * 422 `invalid_period` naming the field.
 */
export class AnalyticsQuery {
  @ApiPropertyOptional({
    example: '2026-05-01',
    description: 'First day (YYYY-MM-DD, in `tz`), included. Default: 29 days before `to`',
  })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(32)
  from?: string;

  @ApiPropertyOptional({
    example: '2026-05-31',
    description: 'Last day (YYYY-MM-DD, in `tz`), included; at most 366 days after `from`. Default: today',
  })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(32)
  to?: string;

  @ApiPropertyOptional({
    example: 'America/Sao_Paulo',
    description: "IANA time zone the days are read in. Default: the organization's time zone",
  })
  @Optional()
  @Trim()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export const TABLE_FORMATS = ['json', 'csv'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export class AnalyticsTableQuery extends AnalyticsQuery {
  @ApiPropertyOptional({ enum: TABLE_FORMATS, description: 'csv: the table as a CSV file' })
  @Optional()
  @IsIn(TABLE_FORMATS)
  format?: TableFormat;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-05-01', description: 'First day, included' })
  from!: string;
  @ApiProperty({ example: '2026-05-31', description: 'Last day, included' })
  to!: string;
  @ApiProperty({ example: 'America/Sao_Paulo', description: 'The time zone the days were read in' })
  timezone!: string;
}

export class DailyMessagesDto {
  @ApiProperty({ example: '2026-05-01' })
  date!: string;
  @ApiProperty({ description: 'Messages customers wrote that day' })
  inbound!: number;
  @ApiProperty({ description: 'Messages the business sent (or queued) that day, failed ones included' })
  outbound!: number;
}

export class OutboundTotalsDto {
  @ApiProperty({ description: 'Every outbound message of the period' })
  total!: number;
  @ApiProperty({ description: 'Not sent yet' })
  queued!: number;
  @ApiProperty({ description: 'Accepted by Meta (delivered and read ones included)' })
  sent!: number;
  @ApiProperty({ description: 'Delivered to the phone (read ones included)' })
  delivered!: number;
  @ApiProperty()
  read!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.94,
    description: 'delivered / (sent + failed), 0..1; null when nothing was sent',
  })
  deliveryRate!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.61,
    description: 'read / delivered, 0..1; null when nothing was delivered',
  })
  readRate!: number | null;
}

export class MessageTotalsDto {
  @ApiProperty()
  inbound!: number;
  @ApiProperty({ type: OutboundTotalsDto })
  outbound!: OutboundTotalsDto;
}

export class FailureCodeDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 131026,
    description: "Meta's error code (null: refused before reaching Meta)",
  })
  code!: number | null;
  @ApiProperty({ example: 'Message undeliverable' })
  title!: string;
  @ApiProperty()
  count!: number;
}

export class ContactTotalsDto {
  @ApiProperty({ description: 'Contacts created in the period' })
  added!: number;
  @ApiProperty({ description: 'Contacts whose opt-out (their latest opt-in change) falls in the period' })
  optedOut!: number;
}

export class DurationStatsDto {
  @ApiProperty({ description: 'How many durations were measured' })
  count!: number;
  @ApiProperty({ type: Number, nullable: true, example: 312.5, description: 'Median (percentile_cont 0.5), seconds' })
  medianSeconds!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 5400,
    description: '90th percentile (percentile_cont), seconds',
  })
  p90Seconds!: number | null;
}

export class ConversationTotalsDto {
  @ApiProperty({ description: 'Conversations opened in the period' })
  opened!: number;
  @ApiProperty({ description: 'Conversations resolved in the period (and not reopened since)' })
  resolved!: number;
  @ApiProperty({
    type: DurationStatsDto,
    description:
      "Of conversations opened in the period: from the customer's first message to the first reply after it " +
      '(an agent, an automation or the API; campaign messages are not replies)',
  })
  firstResponse!: DurationStatsDto;
  @ApiProperty({
    type: DurationStatsDto,
    description: 'Of conversations resolved in the period: from opening to resolution',
  })
  resolution!: DurationStatsDto;
}

export class LabelCountDto {
  @ApiProperty({ example: 'order_status' })
  label!: string;
  @ApiProperty()
  count!: number;
}

export class AiMixDto {
  @ApiProperty({ description: 'Messages of the period the AI read' })
  analysed!: number;
  @ApiProperty({ type: [LabelCountDto], description: 'Analysed messages by intent, most frequent first' })
  intents!: LabelCountDto[];
  @ApiProperty({ type: [LabelCountDto], description: 'Analysed messages by sentiment, most frequent first' })
  sentiments!: LabelCountDto[];
}

export class AnalyticsOverviewDto {
  @ApiProperty({ type: PeriodDto })
  period!: PeriodDto;
  @ApiProperty({ type: [DailyMessagesDto], description: 'One entry per day of the period, in order, zeros included' })
  messagesPerDay!: DailyMessagesDto[];
  @ApiProperty({ type: MessageTotalsDto })
  messages!: MessageTotalsDto;
  @ApiProperty({ type: [FailureCodeDto], description: 'Failed outbound messages by error code, most frequent first' })
  failuresByCode!: FailureCodeDto[];
  @ApiProperty({ type: ContactTotalsDto })
  contacts!: ContactTotalsDto;
  @ApiProperty({ type: ConversationTotalsDto })
  conversations!: ConversationTotalsDto;
  @ApiProperty({ type: AiMixDto })
  ai!: AiMixDto;
}

export class AgentStatsDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  email!: string;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  @ApiProperty({ description: 'Conversations opened in the period and assigned to the member now' })
  conversationsAssigned!: number;
  @ApiProperty({ description: 'Conversations assigned to the member and resolved in the period' })
  conversationsResolved!: number;
  @ApiProperty({ description: 'Messages the member sent in the period' })
  messagesSent!: number;
  @ApiProperty({ description: "Conversations opened in the period whose first reply was the member's" })
  firstResponses!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median time to those first replies, seconds; null without any',
  })
  medianFirstResponseSeconds!: number | null;
}

export class AgentsReportDto {
  @ApiProperty({ type: PeriodDto })
  period!: PeriodDto;
  @ApiProperty({ type: [AgentStatsDto], description: 'Every member of the organization, busiest first' })
  data!: AgentStatsDto[];
}

export class TemplateStatsDto {
  @ApiProperty({ example: 'order_update' })
  name!: string;
  @ApiProperty({ example: 'en_US' })
  language!: string;
  @ApiProperty({ description: 'Accepted by Meta (delivered and read ones included)' })
  sent!: number;
  @ApiProperty({ description: 'Delivered (read ones included)' })
  delivered!: number;
  @ApiProperty()
  read!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'read / delivered, 0..1; null when none was delivered' })
  readRate!: number | null;
}

export class TemplatesReportDto {
  @ApiProperty({ type: PeriodDto })
  period!: PeriodDto;
  @ApiProperty({
    type: [TemplateStatsDto],
    description: 'Each template (name and language) sent in the period, most sent first',
  })
  data!: TemplateStatsDto[];
}

/** A campaign of the period with its funnel, the figures of its own page. */
export class CampaignSummaryDto extends PickType(CampaignStatsDto, [
  'targeted',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
] as const) {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES, enumName: 'CampaignStatus' })
  status!: CampaignStatus;
  @ApiProperty({ description: 'When it started sending (in the period)' })
  startedAt!: Date;
}

export class CampaignsReportDto {
  @ApiProperty({ type: PeriodDto })
  period!: PeriodDto;
  @ApiProperty({
    type: [CampaignSummaryDto],
    description: "Campaigns that started in the period, latest first, with their funnels (as on the campaign's page)",
  })
  data!: CampaignSummaryDto[];
}
