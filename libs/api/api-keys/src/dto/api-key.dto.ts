import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { API_KEY_SCOPES, ApiKeyScope, Optional, SECRET_MASK, Trim } from '@parley/api/core';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import type { ApiKey } from '../entities/api-key.entity';

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 100, default: 'API key' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    isArray: true,
    example: ['read', 'write'],
    description: '`read` acts as a viewer, `write` as an agent, `admin` as an admin; owner-only routes refuse keys',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: ApiKeyScope[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'CRM sync' })
  name!: string;

  @ApiProperty({ example: 'prl_Xk3s9QaP' })
  prefix!: string;

  @ApiProperty({ example: 'prl_Xk3s9QaP_••••••••', description: 'The key with its secret part masked' })
  maskedKey!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: ApiKeyScope[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  createdById!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  revokedAt!: Date | null;

  static from(key: ApiKey): ApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      maskedKey: `${key.prefix}_${SECRET_MASK}`,
      scopes: key.scopes,
      createdById: key.createdById,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      revokedAt: key.revokedAt,
    };
  }
}

/** Returned once, at creation: the only time the full key is ever shown. */
export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'prl_Xk3s9QaP_8mC1...', description: 'The full key. Store it now: it cannot be shown again' })
  key!: string;
}
