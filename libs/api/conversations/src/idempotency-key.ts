import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@parley/api/core';
import type { Request } from 'express';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, checked: 1 to 255 visible ASCII characters (a UUID is ideal). */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().header('idempotency-key');
  if (value === undefined) return undefined;
  if (!KEY.test(value))
    throw DomainError.invalidField(
      ErrorCode.ValidationFailed,
      'Idempotency-Key',
      'Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID',
    );
  return value;
});

export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Send once: a repeat with the same key and body answers the first message again; the same key with another body is a 422',
  });
