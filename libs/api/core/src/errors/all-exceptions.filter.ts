import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ClsServiceManager } from 'nestjs-cls';
import { DomainError, ErrorCode, ErrorDetails } from './domain-error';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthenticated,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RateLimited,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.ServiceUnavailable,
};

interface Mapped {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
  headers?: Record<string, string>;
}

/** Body-parser errors (malformed JSON, too large) carry a status but are not HttpExceptions. */
function isHttpLikeError(error: unknown): error is Error & { status: number; type?: string } {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/** Express error middleware for right after the body parser: malformed JSON becomes a clear 400, not the parser's words. */
export function bodyParserErrors(error: unknown, _req: unknown, _res: unknown, next: (error?: unknown) => void): void {
  const malformed = isHttpLikeError(error) && error.type === 'entity.parse.failed';
  next(malformed ? new DomainError(ErrorCode.ValidationFailed, 'Request body is not valid JSON') : error);
}

/** What an error answers: the status, any headers (Retry-After), and the body in the error shape. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: ErrorCode; message: string; details?: ErrorDetails }; requestId: string };
}

const logger = new Logger('Errors');

/**
 * Maps anything thrown to `{ error: { code, message, details? }, requestId }`, logging what the
 * operator should see; 500s never leak internals. The exception filter's, and the webhook
 * receiver's ahead of Express.
 */
export function errorAnswer(exception: unknown, requestId: string): ErrorAnswer {
  const mapped = map(exception, requestId);
  if (exception instanceof DomainError && mapped.status >= 500) {
    // Expected outages (a dependency down, Meta refusing): one line, no stack.
    logger.warn(`request ${requestId}: ${exception.code}: ${exception.message}`);
  } else if (mapped.status >= 500) {
    const stack = exception instanceof Error ? exception.stack : String(exception);
    logger.error(`request ${requestId} failed: ${stack}`);
  }
  const error = { code: mapped.code, message: mapped.message, ...(mapped.details ? { details: mapped.details } : {}) };
  return { status: mapped.status, headers: mapped.headers ?? {}, body: { error, requestId } };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const cls = ClsServiceManager.getClsService();
    const answer = errorAnswer(exception, (cls.isActive() && cls.getId()) || randomUUID());
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
    response.status(answer.status).json(answer.body);
  }
}

function map(exception: unknown, requestId: string): Mapped {
  if (exception instanceof DomainError) {
    return {
      status: exception.status,
      code: exception.code,
      message: exception.message,
      details: exception.details,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS[status];
    if (code) return { status, code, message: messageOf(exception) };
  }
  if (isHttpLikeError(exception) && exception.status < 500) {
    return {
      status: exception.status,
      code: CODE_BY_STATUS[exception.status] ?? ErrorCode.ValidationFailed,
      message: exception.message,
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    code: ErrorCode.Internal,
    message: `Something went wrong on our side. Quote error id ${requestId} when reporting it.`,
  };
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}
