import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Optional } from '@parley/api/core';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { LIMITS } from '../ai-settings.rules';
import { AI_PROVIDERS, type AiProviderName, type IntentLabel } from '../providers/provider';

const INTENT_NAME_DOC = {
  example: 'order_request',
  description: 'Lowercase letters, digits and _, starting with a letter (at most 40)',
};
const INTENT_DESCRIPTION_DOC = {
  example: 'The customer wants to buy or order something',
  maxLength: LIMITS.descriptionChars,
};
const KEYWORDS_DOC: ApiPropertyOptions = {
  type: [String],
  example: ['order', 'buy', 'comprar', 'quanto custa', 'reserv*'],
  description:
    'Words and phrases that point to this intent (for the local provider; hints for remote ones). Matched ignoring case and accents; a phrase as written; `word*` matches every word it begins',
};

export class IntentLabelDto implements IntentLabel {
  @ApiProperty(INTENT_NAME_DOC)
  name!: string;

  @ApiProperty(INTENT_DESCRIPTION_DOC)
  description!: string;

  @ApiProperty(KEYWORDS_DOC)
  keywords!: string[];
}

export class IntentLabelInputDto {
  @ApiProperty(INTENT_NAME_DOC)
  @IsString()
  name!: string;

  @ApiPropertyOptional(INTENT_DESCRIPTION_DOC)
  @Optional()
  @IsString()
  description?: string;

  @ApiPropertyOptional(KEYWORDS_DOC)
  @Optional()
  @IsArray()
  @IsString({ each: true })
  keywords?: string[];
}

/**
 * The settings to save (PUT) or try (test). Fields left out keep their saved value. The shape is
 * checked first (400); then the rules (422 `ai_settings_invalid`, naming each field).
 */
export class AiSettingsInputDto {
  @ApiPropertyOptional({
    enum: AI_PROVIDERS,
    description:
      '`local`: heuristics in Parley, no network (the default); `openai`: any OpenAI-compatible chat completions API; `anthropic`: the Anthropic Messages API',
  })
  @Optional()
  @IsString()
  provider?: AiProviderName;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://api.openai.com/v1',
    description:
      "The provider's base URL, http or https (`{baseUrl}/chat/completions` for openai, `{baseUrl}/v1/messages` for anthropic); null for the provider's public API",
  })
  @IsOptional()
  @IsString()
  baseUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'gpt-4o-mini',
    description: 'Required for remote providers',
  })
  @IsOptional()
  @IsString()
  model?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    writeOnly: true,
    description:
      'The API key, stored encrypted and never returned. Left out: the saved key is kept, unless provider or baseUrl change (so a key never follows settings to another server); null removes it',
  })
  @IsOptional()
  @IsString()
  apiKey?: string | null;

  @ApiPropertyOptional({
    type: [IntentLabelInputDto],
    description: `The intents customer messages are sorted into, in order of precedence (1 to ${LIMITS.intents})`,
  })
  @Optional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => IntentLabelInputDto)
  intents?: IntentLabelInputDto[];

  @ApiPropertyOptional({
    description:
      'Read every customer message (sentiment, intent, language) and summarize conversations; off until turned on',
  })
  @Optional()
  @IsBoolean()
  autoTriage?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: LIMITS.dailyBudget,
    example: 1000,
    description:
      'Calls to the remote provider per UTC day; past it, triage uses the local provider and automation replies hand off to a person',
  })
  @Optional()
  @IsInt()
  dailyBudget?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: LIMITS.summaryAfter,
    example: 5,
    description: 'Summarize a conversation after every this many customer messages (and when it is resolved)',
  })
  @Optional()
  @IsInt()
  summaryAfter?: number;

  @ApiPropertyOptional({
    minimum: LIMITS.timeoutMs[0],
    maximum: LIMITS.timeoutMs[1],
    example: 20000,
    description: 'How long one call to the remote provider may take, in milliseconds',
  })
  @Optional()
  @IsInt()
  timeoutMs?: number;
}

export class AiSettingsDto {
  @ApiProperty({ enum: AI_PROVIDERS })
  provider!: AiProviderName;

  @ApiProperty({ type: String, nullable: true, description: "Null: the provider's public API" })
  baseUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'gpt-4o-mini' })
  model!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '••••••••x9Qz',
    description: 'Masked: at most the last four characters are shown; null when no key is set',
  })
  apiKey!: string | null;

  @ApiProperty({ type: [IntentLabelDto] })
  intents!: IntentLabelDto[];

  @ApiProperty()
  autoTriage!: boolean;

  @ApiProperty({ example: 1000 })
  dailyBudget!: number;

  @ApiProperty({ example: 12, description: 'Calls to the remote provider counted so far this UTC day' })
  callsToday!: number;

  @ApiProperty({ example: 5 })
  summaryAfter!: number;

  @ApiProperty({ example: 20000 })
  timeoutMs!: number;

  @ApiProperty({ type: Date, nullable: true, description: 'Null while the org uses the defaults' })
  updatedAt!: Date | null;
}

export class AiTestResultDto {
  @ApiProperty({ description: 'The provider answered, and its answer was usable' })
  ok!: boolean;

  @ApiProperty({ enum: AI_PROVIDERS })
  provider!: AiProviderName;

  @ApiProperty({ type: String, nullable: true })
  model!: string | null;

  @ApiProperty({ example: 412, description: 'How long the call took, in milliseconds' })
  latencyMs!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'The provider answered HTTP 401 (invalid_api_key)',
    description: 'What went wrong (never the key, the prompt or the answer); null when ok',
  })
  error!: string | null;
}
