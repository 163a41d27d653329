import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';
import { AppConfig } from '../config/app-config';
import { AllExceptionsFilter, bodyParserErrors } from '../errors/all-exceptions.filter';
import { createValidationPipe } from '../errors/validation';
import { requestContextMiddleware } from '../context/request-context.module';

export const API_PREFIX = 'api/v1';
/** Routes served outside `/api/v1`: operations endpoints. */
export const UNPREFIXED_ROUTES = ['health', 'metrics'];

/** `/api/v1` on every route but the operations endpoints. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
}

/** HTTP setup shared by `main.ts`, the tests and the OpenAPI writer. */
export function configureHttpApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.TRUST_PROXY_HOPS);
  express.disable('x-powered-by');
  express.use(requestContextMiddleware);
  // Meta's webhooks stay raw bytes: the signature is over them. Meta's payloads go up to 3 MB.
  express.use(`/${API_PREFIX}/webhooks`, raw({ type: () => true, limit: '3mb' }));
  express.useBodyParser('json', { limit: '1mb' });
  express.use(bodyParserErrors);
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableCors({
    origin: [config.CONSOLE_URL],
    credentials: false,
    exposedHeaders: [
      'X-Request-Id',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'RateLimit-Policy',
      'Idempotent-Replayed',
    ],
  });
  app.enableShutdownHooks();
}
