import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, Role, Trim } from '@parley/api/core';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import type { Organization } from '../entities/organization.entity';
import { normalizeKeyword, optInSettingsOf } from '../opt-in-settings';

/** Keyword lists are stored as compared: normalized and without repeats. */
const NormalizedKeywords = () =>
  Transform(({ value }) =>
    Array.isArray(value)
      ? [...new Set(value.map((word) => (typeof word === 'string' ? normalizeKeyword(word) : word)))]
      : value,
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
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['stop', 'parar', 'baja'],
    description:
      'Words that opt a contact out when sent alone (any language; case and accents ignored); null restores the built-in list',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @NormalizedKeywords()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 40, { each: true, message: 'each keyword must have 1 to 40 letters or digits' })
  optOutKeywords?: string[] | null;

  @ApiPropertyOptional({ type: [String], nullable: true, example: ['start', 'voltar'] })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @NormalizedKeywords()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 40, { each: true, message: 'each keyword must have 1 to 40 letters or digits' })
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
}

export class OptInSettingsDto {
  @ApiProperty({ type: [String], example: ['stop', 'unsubscribe'] })
  optOutKeywords!: string[];

  @ApiProperty({ type: [String], example: ['start'] })
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
      createdAt: org.createdAt,
      updatedAt: org.updatedAt,
    };
  }
}
