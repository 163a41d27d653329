import type { INestApplication } from '@nestjs/common';
import { configureHttpApp } from '@parley/api/core';
import { useRealtimeAdapter } from '@parley/api/realtime';
import { serveConsole } from './console';
import { serveOpenApi } from './openapi';

/** Everything the HTTP app needs before it listens: shared by main.ts and the integration tests. */
export function setupHttp(app: INestApplication): void {
  configureHttpApp(app);
  serveOpenApi(app);
  serveConsole(app);
  useRealtimeAdapter(app);
}
