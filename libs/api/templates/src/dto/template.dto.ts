import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, PageQuery, Trim } from '@parley/api/core';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches } from 'class-validator';
import { Template, TEMPLATE_CATEGORIES } from '../entities/template.entity';

export class TemplatesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only templates of this WABA account' })
  @Optional()
  @IsUUID('all', { message: 'wabaAccountId must be a WABA account id' })
  wabaAccountId?: string;

  @ApiPropertyOptional({ example: 'APPROVED' })
  @Optional()
  @Matches(/^[A-Z_]{2,32}$/, { message: 'status must be one of Meta’s statuses, such as APPROVED' })
  status?: string;

  @ApiPropertyOptional({ description: 'Only templates whose name starts with this' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 512)
  name?: string;
}

export class SyncTemplatesDto {
  @ApiProperty({ format: 'uuid', description: 'The WABA account whose templates to fetch from Meta' })
  @IsUUID('all', { message: 'wabaAccountId must be a WABA account id' })
  wabaAccountId!: string;
}

export class SyncTemplatesResultDto {
  @ApiProperty({ example: 12, description: 'Templates fetched from Meta and stored' })
  synced!: number;

  @ApiProperty({ example: 1, description: 'Templates no longer at Meta, removed here' })
  removed!: number;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  wabaAccountId!: string;

  @ApiProperty({ type: String, nullable: true, example: '1234567890123456', description: "Meta's template id" })
  metaTemplateId!: string | null;

  @ApiProperty({ example: 'order_confirmation' })
  name!: string;

  @ApiProperty({ example: 'en_US' })
  language!: string;

  @ApiProperty({ example: 'UTILITY' })
  category!: string;

  @ApiProperty({ example: 'APPROVED' })
  status!: string;

  @ApiProperty({ enum: ['POSITIONAL', 'NAMED'] })
  parameterFormat!: 'POSITIONAL' | 'NAMED';

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: "Meta's component definitions (HEADER, BODY, FOOTER, BUTTONS)",
    example: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is confirmed.' }],
  })
  components!: Record<string, unknown>[];

  @ApiProperty({ type: String, nullable: true })
  rejectedReason!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'GREEN' })
  qualityScore!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(template: Template): TemplateDto {
    return {
      id: template.id,
      wabaAccountId: template.wabaAccountId,
      metaTemplateId: template.metaTemplateId,
      name: template.name,
      language: template.language,
      category: template.category,
      status: template.status,
      parameterFormat: template.parameterFormat,
      components: template.components,
      rejectedReason: template.rejectedReason,
      qualityScore: template.qualityScore,
      createdAt: template.createdAt,
      updatedAt: template.updatedAt,
    };
  }
}

const PARAMETER_FORMATS = ['POSITIONAL', 'NAMED'] as const;

const COMPONENTS_DOC = {
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  description:
    "Meta's component definitions: one BODY, optionally a HEADER (TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION), a FOOTER and BUTTONS, with a sample for every parameter in `example`",
  example: [
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is confirmed.', example: { body_text: [['Maria', '#1042']] } },
  ],
} as const;

const NAME_DOC = {
  example: 'order_confirmation',
  maxLength: 512,
  description: 'Lowercase letters, digits and underscores; unique per account and language',
};

const CATEGORY_DOC = { enum: TEMPLATE_CATEGORIES, example: 'UTILITY' };
const PARAMETER_FORMAT_DOC = {
  enum: PARAMETER_FORMATS,
  description: 'POSITIONAL ({{1}}, {{2}}…, the default) or NAMED ({{first_name}}…)',
};

/**
 * A new local draft. Only the shape is checked here (400); Meta's rules (name, components, samples)
 * are checked together afterwards, so one 422 names every field at fault.
 */
export class CreateTemplateDto {
  @ApiProperty({ format: 'uuid', description: 'The WABA account the template belongs to' })
  @IsUUID('all', { message: 'wabaAccountId must be a WABA account id' })
  wabaAccountId!: string;

  @ApiProperty(NAME_DOC)
  @Trim()
  @IsString()
  @Length(1, 512)
  name!: string;

  @ApiProperty({ example: 'en_US', description: "Meta's language code" })
  @Trim()
  @IsString()
  @Length(1, 16)
  language!: string;

  @ApiProperty(CATEGORY_DOC)
  @IsIn(TEMPLATE_CATEGORIES, { message: `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}` })
  category!: string;

  @ApiPropertyOptional(PARAMETER_FORMAT_DOC)
  @Optional()
  @IsIn(PARAMETER_FORMATS, { message: 'parameterFormat must be POSITIONAL or NAMED' })
  parameterFormat?: 'POSITIONAL' | 'NAMED';

  @ApiProperty(COMPONENTS_DOC)
  @IsArray()
  @ArrayMaxSize(8)
  @IsObject({ each: true, message: 'each of components must be an object' })
  components!: Record<string, unknown>[];
}

/**
 * Changes to a template. A draft takes any field. A template submitted to Meta (APPROVED,
 * REJECTED or PAUSED) takes `components`, and `category` unless APPROVED; it is edited at Meta and
 * goes back to review.
 */
export class UpdateTemplateDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Drafts only' })
  @Optional()
  @IsUUID('all', { message: 'wabaAccountId must be a WABA account id' })
  wabaAccountId?: string;

  @ApiPropertyOptional({ ...NAME_DOC, description: 'Drafts only' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 512)
  name?: string;

  @ApiPropertyOptional({ example: 'en_US', description: 'Drafts only' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 16)
  language?: string;

  @ApiPropertyOptional({ ...CATEGORY_DOC, description: 'Not for APPROVED templates (Meta keeps their category)' })
  @Optional()
  @IsIn(TEMPLATE_CATEGORIES, { message: `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}` })
  category?: string;

  @ApiPropertyOptional({ ...PARAMETER_FORMAT_DOC, description: 'Drafts only' })
  @Optional()
  @IsIn(PARAMETER_FORMATS, { message: 'parameterFormat must be POSITIONAL or NAMED' })
  parameterFormat?: 'POSITIONAL' | 'NAMED';

  @ApiPropertyOptional(COMPONENTS_DOC)
  @Optional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsObject({ each: true, message: 'each of components must be an object' })
  components?: Record<string, unknown>[];
}

export class PreviewTemplateDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'body.1': 'Maria', 'header.1': 'https://example.com/banner.png', 'button.0': 'summer' },
    description:
      'Values by key: `header.<name>` (a media header: `header.1`, a https link or media id), `body.<name>`, `button.<index>` (URL suffix or coupon code). Parameters left out show their sample.',
  })
  @Optional()
  @IsObject()
  parameters?: Record<string, string>;
}

export class TemplatePreviewHeaderDto {
  @ApiProperty({ example: 'TEXT', description: 'TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION' })
  format!: string;

  @ApiPropertyOptional({ example: 'Order #1042' })
  text?: string;

  @ApiPropertyOptional({ description: 'The media link or id given (or the sample)' })
  media?: string;
}

export class TemplatePreviewButtonDto {
  @ApiProperty({ example: 'URL', description: 'QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE...' })
  type!: string;

  @ApiProperty({ example: 'Track order' })
  text!: string;

  @ApiPropertyOptional({ example: 'https://shop.example/track/1042' })
  url?: string;

  @ApiPropertyOptional({ example: '+15550100' })
  phoneNumber?: string;

  @ApiPropertyOptional({ example: 'SAVE10' })
  code?: string;
}

/** A template as the customer's phone would show it. */
export class TemplatePreviewDto {
  @ApiProperty({ type: TemplatePreviewHeaderDto, nullable: true })
  header!: TemplatePreviewHeaderDto | null;

  @ApiProperty({ example: 'Hi Maria, your order #1042 is confirmed.' })
  body!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Reply STOP to opt out' })
  footer!: string | null;

  @ApiProperty({ type: [TemplatePreviewButtonDto] })
  buttons!: TemplatePreviewButtonDto[];

  @ApiProperty({
    example: 'Order #1042\nHi Maria, your order #1042 is confirmed.',
    description: 'Header text, body and footer as plain text, one per line',
  })
  text!: string;
}
