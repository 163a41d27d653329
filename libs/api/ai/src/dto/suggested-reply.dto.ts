import { ApiProperty } from '@nestjs/swagger';
import { AI_PROVIDERS, type AiProviderName } from '../providers/provider';

export class SuggestedReplyDto {
  @ApiProperty({ example: 'Thanks for asking! Which size are you looking for? We will check availability for you.' })
  text!: string;

  @ApiProperty({ example: 'product_inquiry', description: "The intent of the customer's last message" })
  intent!: string;

  @ApiProperty({
    minimum: 0,
    maximum: 1,
    example: 0.8,
    description: 'How sure the provider is that the reply answers well',
  })
  confidence!: number;

  @ApiProperty({
    enum: AI_PROVIDERS,
    description: "The provider that wrote it: the org's, or `local` when that one failed or the day's budget is spent",
  })
  provider!: AiProviderName;
}
