import {
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { defer, from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { optionalPrincipal } from '../context/request-context';
import { SecretBox } from '../crypto/secret-box';
import { returning } from '../database/returning';
import { DomainError, ErrorCode } from '../errors/domain-error';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,255}$/;
/** Routes whose feature keeps its own idempotency (a message's key is stored on the message). */
const HANDLED_BY_ROUTE = 'parley:idempotency-handled-by-route';
/** How long a request may hold its key before another try may take it over (it crashed). */
const IN_FLIGHT_MS = 60_000;

/** The header, checked: 1 to 255 visible ASCII characters (a UUID is ideal); undefined when absent. */
export function readIdempotencyKey(request: Request): string | undefined {
  const value = request.header(IDEMPOTENCY_HEADER);
  if (value === undefined) return undefined;
  if (!KEY.test(value))
    throw DomainError.invalidField(
      ErrorCode.ValidationFailed,
      IDEMPOTENCY_HEADER,
      `${IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters, such as a UUID`,
    );
  return value;
}

/** The `Idempotency-Key` header, for a route that keeps its own idempotency (see ApiIdempotencyKey). */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined =>
  readIdempotencyKey(context.switchToHttp().getRequest<Request>()),
);

/** Documents the header on a route that keeps its own idempotency, and keeps IdempotencyInterceptor out of it. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        'Send once: a repeat with the same key and body answers the first message again; the same key with another body is a 422',
    }),
    SetMetadata(HANDLED_BY_ROUTE, true),
  );

/** The request's method, path and body, keys sorted: a repeat must match it to be answered from the record. */
function fingerprint(request: Request): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(canonical(request.body ?? null))}`)
    .digest('hex');
}

interface Recorded {
  fingerprint: string;
  status_code: number | null;
  /** The answer's JSON, sealed: a creation may answer a secret shown once (an API key, a webhook secret). */
  response: string | null;
}

/** What a recorded answer is sealed to: its own row. */
const sealedFor = (scope: string, key: string) => `idempotency_keys.response:${scope}:${key}`;

/**
 * `Idempotency-Key` on every POST that creates something (answers 201), for a signed-in user or an
 * API key: the first request's answer is recorded, sealed, for 24 hours against the caller and key; a
 * repeat with the same method, path and body gets that answer again (`Idempotent-Replayed: true`)
 * without running twice, another body with the same key is a 422, and a repeat while the first is
 * still running a 409. A request that fails frees its key, so it can be tried again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
    private readonly secrets: SecretBox,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // The route's status is set before interceptors run: only creations (201) are covered.
    if (request.method !== 'POST' || response.statusCode !== 201) return next.handle();
    if (this.reflector.get<boolean>(HANDLED_BY_ROUTE, context.getHandler())) return next.handle();
    const caller = optionalPrincipal();
    const key = readIdempotencyKey(request);
    if (!caller || key === undefined) return next.handle();
    const scope = caller.kind === 'user' ? `user:${caller.userId}` : `api_key:${caller.apiKeyId}`;
    return defer(() => from(this.run(scope, key, fingerprint(request), response, next)));
  }

  private async run(
    scope: string,
    key: string,
    print: string,
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    // Ours if the key is new, or held by a request that has not answered within IN_FLIGHT_MS.
    const [taken] = await returning(
      this.dataSource,
      `INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now()
         WHERE idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - $4 * interval '1 millisecond'
       RETURNING key`,
      [scope, key, print, IN_FLIGHT_MS],
    );
    if (!taken) return this.replay(scope, key, print, response);
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.dataSource.query(
        'UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2',
        [
          scope,
          key,
          response.statusCode,
          JSON.stringify(this.secrets.encrypt(JSON.stringify(result ?? null), sealedFor(scope, key))),
        ],
      );
      return result;
    } catch (error) {
      await this.dataSource.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
      throw error;
    }
  }

  private async replay(scope: string, key: string, print: string, response: Response): Promise<unknown> {
    const [row]: Recorded[] = await this.dataSource.query(
      'SELECT fingerprint, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    if (!row)
      throw new DomainError(
        ErrorCode.IdempotencyKeyInUse,
        'A request with this Idempotency-Key was just undone; send it again',
      );
    if (row.fingerprint !== print)
      throw DomainError.invalidField(
        ErrorCode.IdempotencyKeyReused,
        IDEMPOTENCY_HEADER,
        'This Idempotency-Key was used for a different request; use a new key for a new request',
      );
    if (row.status_code === null)
      throw new DomainError(
        ErrorCode.IdempotencyKeyInUse,
        'A request with this Idempotency-Key is still running; try again shortly',
      );
    response.status(row.status_code).setHeader('Idempotent-Replayed', 'true');
    return row.response === null ? null : JSON.parse(this.secrets.decrypt(row.response, sealedFor(scope, key)));
  }
}

/** Deletes records older than a day. */
export async function purgeIdempotencyKeys(dataSource: DataSource): Promise<number> {
  const [, count]: [unknown, number] = await dataSource.query(
    `DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`,
  );
  return count;
}
