import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IDEMPOTENCY_HEADER, setApiPrefix } from '@parley/api/core';
import { AppModule } from './app.module';

/** The OpenAPI document, built from the controllers and DTOs (the single source). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Parley API')
    .setDescription(
      'Multi-tenant WhatsApp Business Platform on the WhatsApp Cloud API. Authenticate with a user access token ' +
        '(`Authorization: Bearer <jwt>`) or an organization API key (`X-API-Key: prl_...` or `Authorization: Bearer prl_...`). ' +
        'Errors are `{ "error": { "code", "message", "details"? }, "requestId" }`; lists are `{ "data": [...], "nextCursor" }`.',
    )
    .setVersion('v1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This Parley deployment (paths start with /api/v1)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  documentIdempotency(document);
  documentRateLimits(document);
  documentPublicOperations(document);
  inlineSingleAllOf(document);
  return document;
}

/** Every authenticated POST that answers 201 takes `Idempotency-Key` (IdempotencyInterceptor). */
function documentIdempotency(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    const operation = item.post;
    if (!operation?.responses['201'] || !operation.security?.length) continue;
    const parameters = (operation.parameters ??= []);
    if (parameters.some((p) => 'name' in p && p.name === IDEMPOTENCY_HEADER)) continue;
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 255, example: '6f1c2a8e-2d7b-4b0e-9a51-8f3d1e0c7b42' },
      description:
        'Create once: a repeat with the same key and body (within 24 hours, by the same caller) answers the first ' +
        'response again with `Idempotent-Replayed: true`; the same key with another body is a 422, and a repeat ' +
        'while the first is still running a 409',
    });
  }
}

/** Builds the document without a database or Redis: the app is created in preview mode and never listens. */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule, { preview: true, logger: false });
  setApiPrefix(app);
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The committed form: stable key order as built, two-space indent, trailing newline. */
export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Serves the UI at /api/docs and the document at /api/openapi.json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'Parley API',
  });
}

/** Every authenticated operation counts against the caller's rate limit (RateLimitGuard). */
function documentRateLimits(document: OpenAPIObject): void {
  const header = (description: string) => ({ description, schema: { type: 'integer' as const } });
  const rateLimitHeaders = {
    'RateLimit-Limit': header('Requests allowed per window, for this user or API key'),
    'RateLimit-Remaining': header('Requests left in the current window'),
    'RateLimit-Reset': header('Seconds until the window resets'),
  };
  for (const item of Object.values(document.paths))
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation?.security?.length || operation.responses['429']) continue;
      operation.responses['429'] = {
        description: 'Rate limit reached for this user or API key; retry after `Retry-After` seconds',
        headers: { 'Retry-After': header('Seconds to wait'), ...rateLimitHeaders },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
      };
    }
}

/** Public operations say so: `security: []` (no credentials), rather than leaving it unsaid. */
function documentPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths))
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
}

/** `{ allOf: [X] }` with nothing beside it (Nest's form for a named enum) is just X. */
function inlineSingleAllOf(document: OpenAPIObject): void {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && Array.isArray(record['allOf']) && record['allOf'].length === 1)
      return visit(record['allOf'][0]);
    return Object.fromEntries(keys.map((key) => [key, visit(record[key])]));
  };
  if (document.components?.schemas)
    document.components.schemas = visit(document.components.schemas) as typeof document.components.schemas;
}
