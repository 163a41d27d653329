import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError } from './domain-error';

/** Flattens class-validator's nested errors into `{ field: 'a.b[0].c', message }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, '$1 is not allowed'),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The path of the first string holding a NUL character (PostgreSQL can't store one in text), if any. */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findNul(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/** class-validator's pipe, after a check no decorator makes: no NUL characters anywhere in the input. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = findNul(value, metadata.type === 'param' || metadata.type === 'custom' ? (metadata.data ?? '') : '');
    if (field)
      throw DomainError.invalidField(ErrorCode.ValidationFailed, field, `${field} must not contain NUL characters`);
    return super.transform(value, metadata);
  }
}

/** Rejects unknown fields and names every field at fault, as a 400 `validation_failed`. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      const message = fields.length > 0 ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : 'Invalid request';
      return new DomainError(ErrorCode.ValidationFailed, message, fields);
    },
  });
}
