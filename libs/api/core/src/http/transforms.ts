import { Transform } from 'class-transformer';

/** Trims string input before validation, so `"  "` fails a non-empty rule. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Trims and lower-cases (emails). */
export const NormalizeEmail = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/**
 * For `PartialType` update DTOs: a field left out is unchanged, and null is validated like any
 * other value, so a field the create DTO requires refuses null with a 400 (PartialType's default
 * lets null through, to a NOT NULL column). Fields the create DTO makes optional stay nullable.
 */
export const NOT_NULL = { skipNullProperties: false } as const;
