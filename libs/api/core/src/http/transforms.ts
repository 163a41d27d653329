import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

/** Trims string input before validation, so `"  "` fails a non-empty rule. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Trims and lower-cases (emails). */
export const NormalizeEmail = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/**
 * For `PartialType` update DTOs: a field left out is unchanged, and null is validated like any
 * other value, so a field the create DTO requires refuses null with a 400 (PartialType's default
 * lets null through, to a NOT NULL column). A field the create DTO makes optional is as nullable
 * here as there: `@IsOptional` lets null through, `Optional()` does not.
 */
export const NOT_NULL = { skipNullProperties: false } as const;

/**
 * An optional field that is not nullable: left out, it is not validated (an update leaves it
 * unchanged); null is validated like any other value, so it gets a 400 naming the field. Every
 * optional request field uses it, except those typed `| null` (documented nullable, where null
 * clears): `@IsOptional` lets null through, which elsewhere would be ignored or reach a NOT NULL
 * column. The fuzz suite holds every operation to its document's nullability.
 */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
