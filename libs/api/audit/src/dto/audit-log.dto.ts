import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, PageQuery } from '@parley/api/core';
import { IsDate, IsString, IsUUID, Matches, MaxDate, MaxLength, MinDate } from 'class-validator';
import { Type } from 'class-transformer';
import type { AuditLog } from '../entities/audit-log.entity';

/** The range PostgreSQL and JavaScript agree on; outside it a date can't be stored or compared. */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59Z');

export class AuditLogQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Id of the acting user or API key' })
  @Optional()
  @IsUUID()
  actor?: string;

  @ApiPropertyOptional({ description: 'Exact action, or a prefix ending in `.*` (`member.*`)', example: 'member.*' })
  @Optional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, { message: 'action must look like `member.role_changed` or `member.*`' })
  action?: string;

  @ApiPropertyOptional({ example: 'member' })
  @Optional()
  @IsString()
  @MaxLength(64)
  targetType?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(128)
  targetId?: string;

  @ApiPropertyOptional({
    description: 'Only entries at or after this time (ISO 8601)',
    type: String,
    format: 'date-time',
  })
  @Optional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  @MinDate(EARLIEST, { message: 'from must be after 1970' })
  @MaxDate(LATEST, { message: 'from must be before the year 10000' })
  from?: Date;

  @ApiPropertyOptional({ description: 'Only entries before this time (ISO 8601)', type: String, format: 'date-time' })
  @Optional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  @MinDate(EARLIEST, { message: 'to must be after 1970' })
  @MaxDate(LATEST, { message: 'to must be before the year 10000' })
  to?: Date;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] })
  type!: 'user' | 'api_key' | 'system';

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  id!: string | null;

  @ApiProperty({ example: 'ana@example.com' })
  label!: string;
}

export class AuditLogDto {
  @ApiProperty({ example: '1042' })
  id!: string;

  @ApiProperty({ example: 'member.role_changed' })
  action!: string;

  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;

  @ApiProperty({ example: 'member' })
  targetType!: string;

  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { before: { role: 'agent' }, after: { role: 'admin' } },
  })
  changes!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty()
  createdAt!: Date;

  static from(row: AuditLog): AuditLogDto {
    return {
      id: row.id,
      action: row.action,
      actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
      targetType: row.targetType,
      targetId: row.targetId,
      changes: row.changes as Record<string, unknown> | null,
      ip: row.ip,
      requestId: row.requestId,
      createdAt: row.createdAt,
    };
  }
}
