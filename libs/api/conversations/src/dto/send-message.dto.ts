import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OutboundContent, SENDABLE_TYPES, SendableType } from '@parley/whatsapp/cloud-api';
import { Optional } from '@parley/api/core';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';

export class ReplyContextDto {
  @ApiProperty({ description: "The message replied to: our message id, or Meta's wamid", example: 'wamid.HBgL...' })
  @IsString()
  @Length(1, 256)
  message_id!: string;
}

const object = (description: string, example: Record<string, unknown>) =>
  ApiPropertyOptional({ type: 'object', additionalProperties: true, description, example });

/**
 * A message in Meta's own send body shape (`type` plus the object of that type), checked against
 * Meta's limits before it is queued. Media take our media id (from `POST /media`), Meta's media
 * id, or a `link`; `context.message_id` and `reaction.message_id` take our message id or a wamid.
 */
export class SendMessageDto {
  @ApiProperty({ enum: SENDABLE_TYPES, example: 'text' })
  @IsIn(SENDABLE_TYPES)
  type!: SendableType;

  @ApiPropertyOptional({ enum: ['whatsapp'], description: 'Accepted for Meta compatibility; ignored' })
  @Optional()
  @IsIn(['whatsapp'])
  messaging_product?: 'whatsapp';

  @ApiPropertyOptional({ enum: ['individual'], description: 'Accepted for Meta compatibility; ignored' })
  @Optional()
  @IsIn(['individual'])
  recipient_type?: 'individual';

  @object('For `text`: `{ body, preview_url? }`', { body: 'Your order has shipped!' })
  @Optional()
  @IsObject()
  text?: Record<string, unknown>;

  @object('For `image`: `{ id | link, caption? }`', { id: '3f1c...', caption: 'Your receipt' })
  @Optional()
  @IsObject()
  image?: Record<string, unknown>;

  @object('For `video`: `{ id | link, caption? }`', { link: 'https://example.com/clip.mp4' })
  @Optional()
  @IsObject()
  video?: Record<string, unknown>;

  @object('For `audio`: `{ id | link, voice? }`', { id: '3f1c...' })
  @Optional()
  @IsObject()
  audio?: Record<string, unknown>;

  @object('For `document`: `{ id | link, caption?, filename? }`', { id: '3f1c...', filename: 'invoice.pdf' })
  @Optional()
  @IsObject()
  document?: Record<string, unknown>;

  @object('For `sticker`: `{ id | link }` (WebP)', { id: '3f1c...' })
  @Optional()
  @IsObject()
  sticker?: Record<string, unknown>;

  @object('For `location`: `{ latitude, longitude, name?, address? }`', {
    latitude: -23.5613,
    longitude: -46.6565,
    name: 'Our store',
  })
  @Optional()
  @IsObject()
  location?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'For `contacts`: contact cards, each with `name.formatted_name`',
  })
  @Optional()
  @IsArray()
  contacts?: Record<string, unknown>[];

  @object('For `reaction`: `{ message_id, emoji }` (empty emoji removes it)', {
    message_id: 'wamid.HBgL...',
    emoji: '👍',
  })
  @Optional()
  @IsObject()
  reaction?: Record<string, unknown>;

  @object('For `interactive`: reply buttons, a list or a CTA URL', {
    type: 'button',
    body: { text: 'Did this solve it?' },
    action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] },
  })
  @Optional()
  @IsObject()
  interactive?: Record<string, unknown>;

  @object('For `template`: an approved template with its parameters', {
    name: 'order_update',
    language: { code: 'en_US' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
  })
  @Optional()
  @IsObject()
  template?: Record<string, unknown>;

  @ApiPropertyOptional({ type: ReplyContextDto, description: 'Reply to (quote) a message of the conversation' })
  @Optional()
  @ValidateNested()
  @Type(() => ReplyContextDto)
  context?: ReplyContextDto;

  /** The type's object as Meta's content union (shape checked afterwards by `outboundProblems`). */
  static content(dto: SendMessageDto): OutboundContent {
    return { type: dto.type, [dto.type]: dto[dto.type] } as unknown as OutboundContent;
  }
}

/** A partner's send: Meta's body with `to`, optionally naming the business number to send from. */
export class PartnerSendMessageDto extends SendMessageDto {
  @ApiProperty({ example: '+5511987654321', description: 'The customer, in any common format (E.164 preferred)' })
  @IsString()
  @Length(3, 32)
  to!: string;

  @ApiPropertyOptional({
    example: '106540352242922',
    description:
      "Meta's id of the business number to send from; default: the number the customer last talked to, else the org's first number",
  })
  @Optional()
  @Matches(/^\d{1,32}$/, { message: "phoneNumberId must be Meta's numeric phone number id" })
  phoneNumberId?: string;
}
