import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { setApiPrefix } from '@parley/api/core';
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
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
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
