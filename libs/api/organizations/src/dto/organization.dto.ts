import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, Role, ROLES, Trim } from '@parley/api/core';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { BusinessHours } from '../business-hours';
import type { Organization } from '../entities/organization.entity';
import { normalizeKeyword, optInSettingsOf } from '../opt-in-settings';

/** An org's own opt-out or opt-in words (added to the built-in ones; null or [] for none), stored as compared: normalized, without repeats. */
const KeywordList = () =>
  applyDecorators(
    IsOptional(),
    ValidateIf((_, value) => value !== null),
    Transform(({ value }) =>
      Array.isArray(value)
        ? [...new Set(value.map((word) => (typeof word === 'string' ? normalizeKeyword(word) : word)))]
        : value,
    ),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
    Length(1, 40, { each: true, message: 'each keyword must have 1 to 40 letters or digits' }),
  );

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Acme Retail', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ example: 'Acme Retail', minLength: 1, maxLength: 100 })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['parar', 'baja'],
    description:
      "The org's own words that opt a contact out when sent alone (any language; case and accents ignored), added to the built-in STOP, UNSUBSCRIBE...; null or [] for none",
  })
  @KeywordList()
  optOutKeywords?: string[] | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['voltar'],
    description: "The org's own opt-in words, added to the built-in START...",
  })
  @KeywordList()
  optInKeywords?: string[] | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The confirmation sent on opt-out; null: the built-in wording',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Trim()
  @IsString()
  @Length(1, 1024)
  optOutReply?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The confirmation sent on opt-in; null: the built-in wording',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Trim()
  @IsString()
  @Length(1, 1024)
  optInReply?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Lisbon', description: 'IANA time zone for business hours and analytics' })
  @Optional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { mon: [{ open: '09:00', close: '18:00' }], sat: [{ open: '10:00', close: '14:00' }] },
    description: 'Openings per weekday (mon..sun) in `timezone`; a day left out is closed; null: always open',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsObject()
  businessHours?: BusinessHours | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 3650,
    example: 365,
    description:
      'Owners only. Days message bodies and files are kept; older ones are cleared nightly (counts stay). null: kept for ever',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(3650)
  messageRetentionDays?: number | null;
}

export class OptInSettingsDto {
  @ApiProperty({ type: [String], example: ['stop', 'unsubscribe'], description: 'Always honoured' })
  builtInOptOutKeywords!: string[];

  @ApiProperty({ type: [String], example: ['start'], description: 'Always honoured' })
  builtInOptInKeywords!: string[];

  @ApiProperty({ type: [String], example: ['parar', 'baja'], description: "The org's own opt-out words" })
  optOutKeywords!: string[];

  @ApiProperty({ type: [String], example: ['voltar'], description: "The org's own opt-in words" })
  optInKeywords!: string[];

  @ApiProperty()
  optOutReply!: string;

  @ApiProperty()
  optInReply!: string;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme Retail' })
  name!: string;

  @ApiProperty({
    enum: ROLES,
    description: "The caller's role in this organization (an API key's is given by its scopes)",
  })
  role!: Role;

  @ApiProperty({
    type: OptInSettingsDto,
    description: 'How STOP / START style messages from customers are handled (the built-in lists unless changed)',
  })
  optInSettings!: OptInSettingsDto;

  @ApiProperty({ example: 'Europe/Lisbon' })
  timezone!: string;

  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { mon: [{ open: '09:00', close: '18:00' }] },
    description: 'Openings per weekday in `timezone`; null: always open',
  })
  businessHours!: BusinessHours | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 365,
    description: 'Days message bodies and files are kept; null: for ever',
  })
  messageRetentionDays!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When retention last ran' })
  retentionRanAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(org: Organization, role: Role): OrganizationDto {
    return {
      id: org.id,
      name: org.name,
      role,
      optInSettings: optInSettingsOf(org),
      timezone: org.timezone,
      businessHours: org.businessHours,
      messageRetentionDays: org.messageRetentionDays,
      retentionRanAt: org.retentionRanAt,
      createdAt: org.createdAt,
      updatedAt: org.updatedAt,
    };
  }
}
