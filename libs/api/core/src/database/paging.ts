import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { Optional } from '../http/transforms';
import { isUuid } from './uuid';

export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&cursor=` accepted by every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor: a previous page's `nextCursor`" })
  @Optional()
  @IsString()
  @MaxLength(256)
  cursor?: string;
}

/** Every list response: one page of items and the cursor of the next page (null on the last). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Checks for cursor parts, so a forged cursor is a 400 and never reaches the database. */
export const isIsoTimestamp = (value: unknown) =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) &&
  !Number.isNaN(Date.parse(value));
export const isBigintId = (value: unknown) => typeof value === 'string' && /^\d{1,18}$/.test(value);

/** The parts of a cursor this API issued, each passing its check; anything else is a 400 on `cursor`. */
export function decodeCursor(cursor: string, checks: ((value: unknown) => boolean)[]): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === checks.length && checks.every((check, i) => check(values[i]))) {
      return values as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalidField(ErrorCode.ValidationFailed, 'cursor', 'cursor is not a cursor this API returned');
}

/**
 * Keyset paging over `(createdAt, id)`, newest first by default. `createdAt` columns are
 * millisecond precision, so the cursor's timestamp round-trips exactly.
 */
export async function pageByCreatedAt<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<T>,
  query: PageQuery,
  order: 'ASC' | 'DESC' = 'DESC',
): Promise<Page<T>> {
  const alias = qb.alias;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, [isIsoTimestamp, isUuid]);
    qb.andWhere(`(${alias}.createdAt, ${alias}.id) ${order === 'DESC' ? '<' : '>'} (:cursorCreatedAt, :cursorId)`, {
      cursorCreatedAt: createdAt,
      cursorId: id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.createdAt`, order)
    .addOrderBy(`${alias}.id`, order)
    .limit(limit + 1)
    .getMany();
  return toPage(rows, limit, (last) => [last.createdAt.toISOString(), last.id]);
}

/** Cuts the extra row fetched to learn whether another page exists. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => string[]): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

export function mapPage<T, U>(page: Page<T>, fn: (item: T) => U): Page<U> {
  return { data: page.data.map(fn), nextCursor: page.nextCursor };
}
