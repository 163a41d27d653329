import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, PageQuery, Trim } from '@parley/api/core';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import type { QuickReply } from '../entities/quick-reply.entity';

export const QUICK_REPLY_LIMITS = {
  shortcutLength: 32,
  /** WhatsApp's limit for a text message body. */
  textLength: 4096,
} as const;

export const SHORTCUT_PATTERN = /^[a-z0-9_-]+$/;

/** Trimmed and lower-cased, so `/Thanks` and `/thanks` can't be two replies. */
const NormalizeShortcut = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

const SHORTCUT_DOC = {
  example: 'thanks',
  minLength: 1,
  maxLength: QUICK_REPLY_LIMITS.shortcutLength,
  pattern: SHORTCUT_PATTERN.source,
  description: 'Typed after `/` in the composer: letters, digits, - and _ (stored lower-cased); unique in the org',
};

const TEXT_DOC = {
  example: 'Thanks for reaching out! We will get back to you within the hour.',
  minLength: 1,
  maxLength: QUICK_REPLY_LIMITS.textLength,
};

const IsShortcut = () =>
  applyDecorators(
    NormalizeShortcut(),
    IsString(),
    Length(1, QUICK_REPLY_LIMITS.shortcutLength),
    Matches(SHORTCUT_PATTERN, { message: 'shortcut may only contain letters, digits, - and _' }),
  );

export class CreateQuickReplyDto {
  @ApiProperty(SHORTCUT_DOC)
  @IsShortcut()
  shortcut!: string;

  @ApiProperty(TEXT_DOC)
  @Trim()
  @IsString()
  @Length(1, QUICK_REPLY_LIMITS.textLength)
  text!: string;
}

export class UpdateQuickReplyDto {
  @ApiPropertyOptional(SHORTCUT_DOC)
  @Optional()
  @IsShortcut()
  shortcut?: string;

  @ApiPropertyOptional(TEXT_DOC)
  @Optional()
  @Trim()
  @IsString()
  @Length(1, QUICK_REPLY_LIMITS.textLength)
  text?: string;
}

export class QuickRepliesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the shortcut or the text', example: 'thank' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class QuickReplyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'thanks' })
  shortcut!: string;

  @ApiProperty({ example: TEXT_DOC.example })
  text!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The member who created it (null for API keys and former members)',
  })
  createdBy!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(reply: QuickReply): QuickReplyDto {
    return {
      id: reply.id,
      shortcut: reply.shortcut,
      text: reply.text,
      createdBy: reply.createdBy,
      createdAt: reply.createdAt,
      updatedAt: reply.updatedAt,
    };
  }
}
