import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiDocument, serializeOpenApi } from '../src/openapi';

/** Writes apps/api/openapi.json (committed; the console client is generated from it). */
export const OPENAPI_PATH = join(__dirname, '..', 'openapi.json');

async function main(): Promise<void> {
  writeFileSync(OPENAPI_PATH, serializeOpenApi(await generateOpenApiDocument()));
  console.log(`wrote ${OPENAPI_PATH}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
