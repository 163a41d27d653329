import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery, Trim } from '@parley/api/core';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Template } from '../entities/template.entity';

export class TemplatesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only templates of this WABA account' })
  @IsOptional()
  @IsUUID('all', { message: 'wabaAccountId must be a WABA account id' })
  wabaAccountId?: string;

  @ApiPropertyOptional({ example: 'APPROVED' })
  @IsOptional()
  @Matches(/^[A-Z_]{2,32}$/, { message: 'status must be one of Meta’s statuses, such as APPROVED' })
  status?: string;

  @ApiPropertyOptional({ description: 'Only templates whose name starts with this' })
  @IsOptional()
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
