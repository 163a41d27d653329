import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, PageQuery, Trim } from '@parley/api/core';
import { windowExpiresAt } from '@parley/whatsapp/cloud-api';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import {
  CONVERSATION_STATUSES,
  Conversation,
  ConversationInsights,
  ConversationStatus,
  PRIORITIES,
  Priority,
} from '../entities/conversation.entity';

export class ConversationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES })
  @Optional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @ApiPropertyOptional({ description: 'A member id, `me`, or `none` for unassigned conversations' })
  @Optional()
  @Matches(/^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'assigneeId must be a member id, me or none',
  })
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'Only conversations with unread messages' })
  @Optional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;

  @ApiPropertyOptional({ description: 'Only contacts with this tag' })
  @Optional()
  @IsString()
  @Length(1, 64)
  tag?: string;

  @ApiPropertyOptional({ description: 'Search contact name, phone and the last message' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class UpdateConversationDto {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES })
  @Optional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'A member of the org, or null to unassign',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'assigneeId must be a member id or null' })
  assigneeId?: string | null;
}

export class ConversationContactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '+5511987654321' })
  phone!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Maria Souza' })
  name!: string | null;
}

export class ConversationInsightsDto implements ConversationInsights {
  @ApiProperty({ example: 'Asks whether the blue sneakers in size 42 are in stock and wants delivery by Friday.' })
  summary!: string;

  @ApiProperty({ enum: PRIORITIES })
  priority!: Priority;

  @ApiProperty({ type: [String], example: ['sneakers', 'delivery'] })
  suggestedTags!: string[];

  @ApiProperty({ minimum: 0, maximum: 100, example: 72, description: 'How likely the customer is to buy' })
  leadScore!: number;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: ConversationContactDto })
  contact!: ConversationContactDto;

  @ApiProperty({ example: '106540352242922', description: "Meta's id of the business number" })
  phoneNumberId!: string;

  @ApiProperty({ enum: CONVERSATION_STATUSES })
  status!: ConversationStatus;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  assigneeId!: string | null;

  @ApiProperty({ example: 2 })
  unreadCount!: number;

  @ApiProperty()
  lastMessageAt!: Date;

  @ApiProperty({ type: String, nullable: true, example: 'Is the blue one in stock?' })
  lastMessagePreview!: string | null;

  @ApiProperty({
    type: Date,
    nullable: true,
    description: 'When the 24-hour customer service window closes; null if the customer never wrote',
  })
  windowExpiresAt!: Date | null;

  @ApiProperty({
    description: 'Whether automation still answers here; false once handed off to a person, until resolved',
  })
  botActive!: boolean;

  @ApiProperty({
    type: () => ConversationInsightsDto,
    nullable: true,
    description: "AI triage's reading of the conversation; null until it ran",
  })
  ai!: ConversationInsights | null;

  static from(conversation: Conversation): ConversationDto {
    const contact = conversation.contact;
    return {
      id: conversation.id,
      contact: {
        id: conversation.contactId,
        phone: contact?.phone ?? '',
        name: contact?.name ?? contact?.profileName ?? null,
      },
      phoneNumberId: conversation.phoneNumber?.phoneNumberId ?? '',
      status: conversation.status,
      assigneeId: conversation.assigneeId,
      unreadCount: conversation.unreadCount,
      lastMessageAt: conversation.lastMessageAt,
      lastMessagePreview: conversation.lastMessagePreview,
      windowExpiresAt: windowExpiresAt(conversation.lastInboundAt),
      botActive: conversation.botActive,
      ai: conversation.ai && {
        // Only the reading: the stored JSON also has when it was made, for the AI sweeper.
        summary: conversation.ai.summary,
        priority: conversation.ai.priority,
        suggestedTags: conversation.ai.suggestedTags,
        leadScore: conversation.ai.leadScore,
      },
    };
  }
}
