import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { NOT_NULL, Optional, Trim } from '@parley/api/core';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  MESSAGING_LIMIT_TIERS,
  MessagingLimitTier,
  TOKEN_STATUSES,
  TokenStatus,
  WABA_ACCOUNT_STATUSES,
  WabaAccountStatus,
} from '../entities/waba-account.entity';

const META_ID = /^\d{1,32}$/;
const GRAPH_VERSION = /^v\d{1,2}\.\d$/;
const VERIFY_TOKEN = /^[\x21-\x7e]{8,128}$/;

export class CreateWabaAccountDto {
  @ApiPropertyOptional({ example: 'Acme main', maxLength: 100, description: 'Defaults to "WABA <wabaId>"' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiProperty({ example: '102290129340398', description: "Meta's WhatsApp Business Account id" })
  @Trim()
  @Matches(META_ID, { message: 'wabaId must be the numeric id Meta shows for the WhatsApp Business Account' })
  wabaId!: string;

  @ApiProperty({ example: '1234567890123456', description: "The Meta app's id" })
  @Trim()
  @Matches(META_ID, { message: 'appId must be the numeric id of the Meta app' })
  appId!: string;

  @ApiProperty({
    writeOnly: true,
    description: 'App secret (App Dashboard > Settings > Basic); verifies webhook signatures. Never returned',
  })
  @IsString()
  @Length(8, 256)
  appSecret!: string;

  @ApiProperty({ writeOnly: true, description: 'System-user access token for the Graph API. Never returned' })
  @IsString()
  @Length(16, 4096)
  accessToken!: string;

  @ApiPropertyOptional({
    description: 'Token Meta echoes when verifying the webhook URL; generated when absent',
    example: 'my-verify-token-123',
  })
  @Optional()
  @Matches(VERIFY_TOKEN, { message: 'verifyToken must be 8-128 printable characters without spaces' })
  verifyToken?: string;

  @ApiPropertyOptional({
    example: 'v23.0',
    description: 'Graph API version; defaults to the configured GRAPH_API_VERSION',
  })
  @Optional()
  @Matches(GRAPH_VERSION, { message: 'graphApiVersion must look like v23.0' })
  graphApiVersion?: string;
}

export class UpdateWabaAccountDto extends PartialType(
  PickType(CreateWabaAccountDto, ['name', 'appSecret', 'accessToken', 'verifyToken', 'graphApiVersion'] as const),
  NOT_NULL,
) {
  @ApiPropertyOptional({ enum: WABA_ACCOUNT_STATUSES })
  @Optional()
  @IsIn(WABA_ACCOUNT_STATUSES)
  status?: WabaAccountStatus;

  @ApiPropertyOptional({
    enum: MESSAGING_LIMIT_TIERS,
    nullable: true,
    description:
      "Meta's messaging limit for the business (unique customers reached by business-initiated messages in 24 hours); campaigns stay within it",
  })
  @IsOptional()
  @IsIn([...MESSAGING_LIMIT_TIERS, null])
  messagingLimitTier?: MessagingLimitTier | null;
}

/** What the last check of the access token against Meta found. */
export class TokenHealthDto {
  @ApiProperty({
    enum: TOKEN_STATUSES,
    description:
      '`expiring`: valid, but ends within TOKEN_EXPIRY_WARNING_DAYS; `invalid`: refused by Meta or missing a WhatsApp permission. Rotate the token before sends fail with 190',
  })
  status!: TokenStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null until the first check' })
  checkedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null: the token does not expire' })
  expiresAt!: Date | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'The access token expires on 2026-12-01T09:00:00.000Z',
    description: 'Why the token is not healthy',
  })
  problem!: string | null;
}

export class WabaAccountDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme main' })
  name!: string;

  @ApiProperty({ example: '102290129340398' })
  wabaId!: string;

  @ApiProperty({ example: '1234567890123456' })
  appId!: string;

  @ApiProperty({ example: '••••••••', description: 'Masked: the secret is never returned' })
  appSecret!: string;

  @ApiProperty({ example: '••••••••x9Qz', description: 'Masked: at most the last four characters are shown' })
  accessToken!: string;

  @ApiProperty({ example: 'my-verify-token-123', description: 'Shown to admins and owners; masked for other roles' })
  verifyToken!: string;

  @ApiProperty({ example: 'v23.0' })
  graphApiVersion!: string;

  @ApiProperty({
    example: 'https://parley.example.com/api/v1/webhooks/whatsapp/7d5c...',
    description: "Paste into the Meta App Dashboard's webhook callback URL",
  })
  webhookUrl!: string;

  @ApiProperty({ enum: WABA_ACCOUNT_STATUSES })
  status!: WabaAccountStatus;

  @ApiProperty({ enum: MESSAGING_LIMIT_TIERS, nullable: true, description: 'Null: unknown, not enforced' })
  messagingLimitTier!: MessagingLimitTier | null;

  @ApiProperty({ type: TokenHealthDto })
  tokenHealth!: TokenHealthDto;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}
