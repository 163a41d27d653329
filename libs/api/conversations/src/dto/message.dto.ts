import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MediaDto } from '@parley/api/media';
import { MESSAGE_STATUSES, MessageStatus } from '@parley/whatsapp/cloud-api';
import {
  DIRECTIONS,
  Direction,
  Message,
  MessageInsights,
  Reaction,
  Sentiment,
  SENTIMENTS,
} from '../entities/message.entity';

export class MessageErrorDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 131047,
    description: "Meta's error code; null when the failure is ours (no answer from Meta)",
  })
  code!: number | null;

  @ApiProperty({ example: 'Re-engagement message' })
  title!: string;
}

export class MessageContextDto {
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'Our id of the quoted message, when we have it',
  })
  messageId!: string | null;

  @ApiProperty({ example: 'wamid.HBgL...' })
  waMessageId!: string;
}

export class ReactionDto {
  @ApiProperty({ example: '👍' })
  emoji!: string;

  @ApiProperty({ example: 'contact', description: '`contact`, or the id of the agent who reacted' })
  by!: string;

  @ApiProperty()
  at!: string;
}

export class MessageInsightsDto implements MessageInsights {
  @ApiProperty({ enum: SENTIMENTS })
  sentiment!: Sentiment;

  @ApiProperty({ example: 'order_request', description: "One of the org's intent labels" })
  intent!: string;

  @ApiProperty({ example: 'pt', description: 'ISO 639-1 code; `und` when unsure' })
  language!: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  conversationId!: string;

  @ApiProperty({ format: 'uuid' })
  contactId!: string;

  @ApiProperty({ enum: DIRECTIONS })
  direction!: Direction;

  @ApiProperty({ example: 'text' })
  type!: string;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: MessageStatus;

  @ApiProperty({ type: String, nullable: true })
  waMessageId!: string | null;

  @ApiProperty({ example: 'Is the blue one in stock?' })
  body!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "Meta's message object" })
  payload!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: MediaDto,
    nullable: true,
    description: 'The file of a media message; `status` is `pending` until an inbound file is downloaded',
  })
  media!: MediaDto | null;

  @ApiPropertyOptional({ type: MessageContextDto, nullable: true })
  context!: MessageContextDto | null;

  @ApiProperty({ type: [ReactionDto] })
  reactions!: Reaction[];

  @ApiProperty({ type: MessageErrorDto, nullable: true })
  error!: MessageErrorDto | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The member who sent an outbound message; null for inbound, API keys and automation',
  })
  senderId!: string | null;

  @ApiProperty({
    type: MessageInsightsDto,
    nullable: true,
    description: "AI triage's reading of an inbound message; null until it ran, and for outbound",
  })
  ai!: MessageInsights | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true })
  sentAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  deliveredAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  readAt!: Date | null;

  /** Expects `message.media` loaded when the message has a file. */
  static from(message: Message): MessageDto {
    return {
      id: message.id,
      conversationId: message.conversationId,
      contactId: message.contactId,
      direction: message.direction,
      type: message.type,
      status: message.status,
      waMessageId: message.waMessageId,
      body: message.body,
      payload: message.payload,
      media: message.media ? MediaDto.from(message.media) : null,
      context: message.contextWaMessageId
        ? { messageId: message.contextMessageId, waMessageId: message.contextWaMessageId }
        : null,
      reactions: message.reactions,
      error:
        message.errorCode !== null || message.errorTitle !== null
          ? { code: message.errorCode, title: message.errorTitle ?? '' }
          : null,
      senderId: message.senderId,
      ai: message.ai,
      createdAt: message.createdAt,
      sentAt: message.sentAt,
      deliveredAt: message.deliveredAt,
      readAt: message.readAt,
    };
  }
}
